using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// The per-layer latency table of one latency-objective run (<see cref="LatencySource.Mix"/> or
/// <see cref="LatencySource.Table"/>). A new run starts from this machine's cached table for the engine, batch and
/// threads, calibrates it on the original and a few uniform prunings timed whole, and keeps its own copy in the run
/// folder (<see cref="FileName"/>, rewritten whenever a layer is added, before the history row that used it), so
/// that a resumed run predicts exactly as the first did; the machine's cache is updated at the end.
/// </summary>
internal sealed class LatencyTableRun
{
    /// <summary>The run folder's copy of the table, with its fit.</summary>
    public const string FileName = "latency-table.json";

    /// <summary>Keep-ratios of the uniform genomes timed whole to calibrate the table (with the original, ratio 1).</summary>
    private static readonly double[] CalibrationRatios = [0.85, 0.7, 0.55, 0.4, 0.25];

    private readonly LatencyPredictor _predictor;
    private readonly LatencyProbe _probe;
    private readonly string _runFile;
    private readonly string? _cacheFile;
    private int _saved;

    private LatencyTableRun(LatencyPredictor predictor, LatencyProbe probe, string runFile, string? cacheFile)
    {
        (_predictor, _probe, _runFile, _cacheFile, _saved) = (predictor, probe, runFile, cacheFile, predictor.Table.Count);
    }

    /// <summary>The table (entries and fit).</summary>
    public LatencyTable Table => _predictor.Table;

    /// <summary>How the table has been used by this process so far.</summary>
    public LatencyTableUse Use => new(Table.Count, _probe.Timed, _probe.Seconds, Table.Hits + Table.Misses, Table.Hits);

    /// <summary>Opens the run's table: a resumed run reads its copy as is; a new one calibrates the machine's cached table.</summary>
    /// <param name="o">The run's options.</param>
    /// <param name="calibrated">The calibrated model (its structure gives the calibration prunings).</param>
    /// <param name="options">The engine, batch and threads the run measures at.</param>
    /// <param name="measure">Times a model whole, drift-corrected, in milliseconds (the meter's).</param>
    /// <param name="originalMs">The original's reference milliseconds.</param>
    /// <param name="folder">The run folder, told about the file a new run creates.</param>
    /// <param name="cancel">Checked between timed runs.</param>
    /// <exception cref="CheckpointException">A resumed run's copy is missing, corrupt or not calibrated.</exception>
    /// <exception cref="BenchmarkException">A layer or calibration model fails in the engine.</exception>
    public static LatencyTableRun Open(RunOptions o, CalibratedModel calibrated, BenchmarkOptions options, Func<OnnxModel, double> measure,
        double originalMs, RunFolder folder, CancellationToken cancel)
    {
        var probe = new LatencyProbe(options, o.OutDir);
        string runFile = Path.Combine(o.OutDir, FileName);
        int block = OrtNchwcBlock.Of(options.Engine);
        var key = LatencyTableKey.Here(options.Engine, options.Batch, options.Threads, block);
        string? cacheFile = CacheFolder() is { } dir ? Path.Combine(dir, key.FileName()) : null;
        LatencyPredictor Predictor(LatencyTable t) => new(t, options.Batch, l => probe.Time(l, cancel), block, l => probe.TimeMany(l, cancel));
        if (o.Resume)
        {
            var stored = LatencyTable.LoadExact(runFile);
            if (stored.Fit is null) throw new CheckpointException($"{runFile}: the latency table has no calibration");
            if (stored.Key.Probe != key.Probe)
                throw new CheckpointException(stored.Key.Probe is null
                    ? $"{runFile}: made by an earlier FastPrune, whose table timed and summed layers otherwise; its predictions cannot be repeated, start a new run"
                    : $"{runFile}: its entries are '{stored.Key.Probe}' but this machine's engine gives '{key.Probe}'; resume where the run began");
            return new LatencyTableRun(Predictor(stored), probe, runFile, cacheFile);
        }
        var table = new LatencyTable(key);
        try
        {
            if (cacheFile is not null) table = LatencyTable.Load(cacheFile, key);
        }
        catch (CheckpointException)
        {
            // The machine's cache is only a head start: a corrupt one is timed again and replaced at the end.
        }
        var predictor = Predictor(table);
        var structure = calibrated.Structure;
        var points = new List<(OnnxModel, double)> { (structure.Model, originalMs) };
        foreach (double r in CalibrationRatios)
        {
            var model = PrunedSubnet.Build(structure, Genome.Uniform(structure.Genes, r), SelectionMethod.L1, seed: 0).Model;
            points.Add((model, measure(model)));
        }
        predictor.Calibrate(points);
        var run = new LatencyTableRun(predictor, probe, runFile, cacheFile) { _saved = -1 };
        run.SaveIfGrown();
        folder.Created(runFile);
        return run;
    }

    /// <summary>The predicted milliseconds of <paramref name="model"/>; a table that grew is saved to the run folder first.</summary>
    public double Predict(OnnxModel model)
    {
        double ms = _predictor.Predict(model);
        SaveIfGrown();
        return ms;
    }

    /// <summary>Times together the layer configurations <paramref name="models"/> add to the table (a generation's subnets,
    /// before they are evaluated and predicted one by one); the run's copy is saved if it grew.</summary>
    public void Prefetch(IEnumerable<OnnxModel> models)
    {
        _predictor.Prefetch(models);
        SaveIfGrown();
    }

    /// <summary>Merges the run's entries into the machine's cache (best effort: a read-only cache folder is skipped).</summary>
    public void SaveCache()
    {
        if (_cacheFile is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_cacheFile)!);
            var cached = new LatencyTable(Table.Key);
            try { cached = LatencyTable.Load(_cacheFile, Table.Key); }
            catch (CheckpointException) { /* replaced below */ }
            var copy = new LatencyTable(Table.Key);
            foreach (var (k, v) in Table.Entries) copy.Add(k, v);
            foreach (var (k, v) in cached.Entries) copy.Add(k, v);
            copy.Save(_cacheFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache only saves time in later runs; the run's own copy is what its results rest on.
        }
    }

    private void SaveIfGrown()
    {
        if (Table.Count == _saved) return;
        Table.Save(_runFile);
        _saved = Table.Count;
    }

    /// <summary>$XDG_CACHE_HOME/fastprune (or ~/.cache/fastprune); null when neither is known.</summary>
    private static string? CacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? root = !string.IsNullOrEmpty(xdg) ? xdg : home.Length > 0 ? Path.Combine(home, ".cache") : null;
        return root is null ? null : Path.Combine(root, "fastprune");
    }
}
