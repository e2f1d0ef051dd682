using FastPrune.Graph;

namespace FastPrune.Pipeline;

/// <summary>
/// What a calibrated model will hold, estimated before any work from the model's inferred shapes: the Grams and stored
/// original outputs (resident for the model's whole life), and per image the layer tensors that feature collection asks
/// ONNX Runtime for. It sizes the collection and reconstruction batches and the activations kept in memory between
/// stages, and refuses a model whose resident part alone cannot fit.
/// </summary>
/// <param name="Limit">The memory limit in bytes.</param>
/// <param name="GramBytes">Grams of every planned layer.</param>
/// <param name="TargetBytes">The original outputs stored for corrective and exact reconstruction.</param>
/// <param name="ModelBytes">The serialised model (held about three times: original, pruned copy, ONNX Runtime).</param>
/// <param name="CollectBytesPerImage">Layer inputs and outputs one image adds to a collection batch.</param>
/// <param name="Batch">Images per collection and reconstruction batch.</param>
/// <param name="FrontierBudget">Bytes of activations held in memory between reconstruction stages; the rest is spilled.</param>
internal sealed record MemoryPlan(long Limit, long GramBytes, long TargetBytes, long ModelBytes, long CollectBytesPerImage, int Batch, long FrontierBudget)
{
    // Bytes per Gram entry of the CPU accumulator: a float64 result, and while collecting float32 partial products and
    // their float64 totals (released when collection completes, but all layers collect at once, so the peak has them).
    private const int GramEntryBytes = 20;

    // Decoded images kept for the calibrated model: each split is held while it fits half of PruneOptions.MemoryBudgetBytes
    // (1 GB by default), streamed otherwise.
    private const long DecodedSplitsBytes = 1L << 30;

    /// <summary>Bytes resident for the calibrated model's life.</summary>
    public long Resident => GramBytes + TargetBytes + 3 * ModelBytes;

    /// <summary>
    /// The plan for <paramref name="plans"/> (rows per image already set) at <paramref name="images"/> calibration images.
    /// </summary>
    /// <exception cref="MemoryLimitException">The Grams and stored outputs alone exceed <paramref name="limit"/>.</exception>
    internal static MemoryPlan For(IReadOnlyList<LayerPlan> plans, IReadOnlyDictionary<string, TensorInfo> shapes, long modelBytes,
        int images, bool keepTargets, int maxBatch, int? fixedBatch, long limit, string model)
    {
        long gram = 0, targets = 0, perImage = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in plans)
        {
            long size = p.Cols + (p.HasBias ? 1 : 0);
            // Plus the accumulator's staged tail of one row block (X and Y rows) while collecting.
            if (p.Groups == 1) // grouped convs: see LayerPlan.Groups
                gram += GramEntryBytes * (size * size + size * p.OutChannels) + 4L * Kernels.GramAccumulator.BlockRows * (p.Cols + p.OutChannels);
            if (keepTargets) targets += 4L * images * p.RowsPerImage * p.OutChannels;
            foreach (var n in new[] { p.Layer.Input, p.Layer.Output })
                if (seen.Add(n)) perImage += BytesPerImage(shapes, n);
        }
        long resident = gram + targets + 3 * modelBytes;
        // Everything else (a collection batch, the frontier, decoded images, ORT's own buffers) shares what is left;
        // below a quarter of the limit the run would crawl through tiny batches, so it is refused instead.
        long free = limit - resident;
        if (free < limit / 4)
            throw new MemoryLimitException($"{model}: needs about {Gb(resident)} GB for Grams ({Gb(gram)}) and stored outputs ({Gb(targets)}) " +
                $"at {images} calibration images, more than the memory limit of {Gb(limit)} GB allows (use fewer --calib images or a larger --memory-limit)");
        // A collection batch gets a quarter of what is left, at most 2 GB: ONNX Runtime gains nothing from larger ones, and
        // the garbage a batch leaves behind grows with it.
        // Never one image a batch (unless asked for): ONNX Runtime's CPU kernels split a lone image's work among threads
        // differently, and its last bits would then depend on the memory limit (two images cost little more).
        int batch = fixedBatch ?? (int)Math.Clamp(Math.Min(free / 4, 2L << 30) / Math.Max(1, perImage), Math.Min(2, Math.Max(1, maxBatch)), Math.Max(1, maxBatch));
        return new MemoryPlan(limit, gram, targets, modelBytes, perImage, batch, FrontierFor(limit, free, gram, targets, modelBytes, (long)batch * perImage));
    }

    // The frontier budget of one store. Reconstruction runs after collection, when the Grams keep only their float64
    // results, so it may use what collection needed beyond those: a tenth of the limit is left to ONNX Runtime and the
    // runtime, and the rest is shared by the two stores a sequential pass has open (the one it reads, the one it fills)
    // next to the stored outputs, the models, the decoded splits and a batch. At most an eighth of the limit (past that
    // the page cache, which keeps a spill file without counting it as ours, does as well), and never less than the
    // quarter of what collection leaves that it had before (1 GB at most).
    private static long FrontierFor(long limit, long free, long gram, long targets, long modelBytes, long batchBytes)
    {
        long after = gram / GramEntryBytes * 8 + targets + 3 * modelBytes + DecodedSplitsBytes + batchBytes;
        long fits = (limit - limit / 10 - after) / 2;
        return Math.Max(Math.Min(free / 4, 1L << 30), Math.Min(fits, limit / 8));
    }

    /// <summary>What the process may use: the GC's view of the machine or container limit.</summary>
    public static long MachineLimit() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The process's peak resident set (VmHWM of /proc/self/status) in bytes; 0 where it cannot be read.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return 1024 * long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return 0;
    }

    private static long BytesPerImage(IReadOnlyDictionary<string, TensorInfo> shapes, string name)
    {
        // The first dim is the batch; a tensor of unknown shape counts as nothing (the estimate is a lower bound then).
        if (!shapes.TryGetValue(name, out var t) || t.Shape is not { Length: > 1 } dims || dims.Skip(1).Any(d => !d.IsKnown)) return 0;
        return dims.Skip(1).Aggregate(4L, (a, d) => a * d.Value);
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
