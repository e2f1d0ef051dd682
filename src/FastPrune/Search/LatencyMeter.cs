using System.Text.Json;
using FastPrune.Graph;
using FastPrune.Pipeline;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>The original model's latency a latency-objective run measured once, stored in its folder (latency.json)
/// so that a resumed run keeps the same targets: with the history, it is what the search saw.</summary>
/// <param name="Engine">Engine name (<see cref="InferenceEngineNames.ToName"/>).</param>
/// <param name="Batch">Images per timed run.</param>
/// <param name="Threads">Intra-op threads (0: the engine's choice).</param>
/// <param name="OriginalMs">Median milliseconds of one batch of the original.</param>
/// <param name="OriginalSpread">(p90 − p10) / median of those runs.</param>
/// <param name="Machine">Where they were measured (<see cref="LatencyTableKey.ThisMachine"/>); null in a folder written
/// before it was stored.</param>
internal sealed record LatencyReference(string Engine, int Batch, int Threads, double OriginalMs, double OriginalSpread, string? Machine = null)
{
    public const string FileName = "latency.json";
}

/// <summary>
/// Measures subnets for <see cref="CostObjective.Latency"/>: each subnet whole, on the run's bench engine, batch and
/// threads, interleaved run by run with the original (kept loaded), so that a machine whose speed drifts (other load,
/// clocks) moves both alike. A subnet's latency is its median scaled by the original's reference median over the
/// original's median in the same measurement: a drift-corrected figure comparable across the whole run.
/// </summary>
internal sealed class LatencyMeter : IDisposable
{
    private const int Warmup = 2;
    private const int Rounds = 7;
    private readonly BenchmarkOptions _options;
    private readonly IReadOnlyList<InputSpec> _inputs;
    private readonly IBatchRunner _original;
    private readonly string _dir;

    /// <summary>The original's reference latency (measured now, or read back on resume).</summary>
    public LatencyReference Reference { get; }

    /// <summary>The run's per-layer table when subnets are predicted (<see cref="LatencySource.Mix"/>, <see cref="LatencySource.Table"/>); else null.</summary>
    public LatencyTableRun? Table { get; private set; }

    /// <summary>How the run knows latencies.</summary>
    public LatencySource Source { get; private set; }

    private LatencyMeter(BenchmarkOptions options, IReadOnlyList<InputSpec> inputs, IBatchRunner original, string dir, LatencyReference reference)
    {
        (_options, _inputs, _original, _dir, Reference) = (options, inputs, original, dir, reference);
    }

    /// <summary>The batch a run measures at: a model fixed to a batch (older exporters: 1) runs at that one.</summary>
    public static int BatchFor(RunOptions o, CalibratedModel calibrated) =>
        ImageInput.Of(calibrated.Structure.Index, calibrated.Structure.Shapes, o.Prune.ModelPath).FixedBatch ?? o.BenchBatch;

    /// <summary>Loads the original in the engine; a new run measures and stores its reference, a resumed one reads it.</summary>
    /// <exception cref="BenchmarkException">The engine is unavailable or the model fails in it.</exception>
    /// <exception cref="CheckpointException">A resumed run's latency.json is missing or corrupt.</exception>
    public static LatencyMeter Open(RunOptions o, CalibratedModel calibrated, RunFolder folder, CancellationToken cancel)
    {
        var options = new BenchmarkOptions
        {
            Engine = o.BenchEngine ?? InferenceEngine.OrtCpu, Batch = BatchFor(o, calibrated), Warmup = Warmup, Iterations = Rounds,
            Threads = o.Prune.Threads, InputShapes = calibrated.Structure.Model.ShapeOptions.InputShapes,
        };
        var (_, inputs, _, _) = ThroughputBenchmark.Prepare(o.Prune.ModelPath, options);
        var original = ThroughputBenchmark.OpenRunner(o.Prune.ModelPath, inputs, options);
        try
        {
            string file = Path.Combine(o.OutDir, LatencyReference.FileName);
            LatencyReference reference;
            // A resumed run never re-measures the original: its targets and every stored latency_ms hang on it.
            if (o.Resume)
            {
                reference = File.Exists(file) ? Load(file) : throw new CheckpointException($"{file}: missing; the run's latencies cannot be resumed");
                // Timings of two machines in one history would rank subnets by where they were timed.
                string here = LatencyTableKey.ThisMachine();
                if (reference.Machine is { } there && there != here)
                    throw new CheckpointException($"{file}: the run's latencies were measured on '{there}' but this machine is '{here}'; " +
                        "resume where the run began");
            }
            else
            {
                // The reference gets more runs than a subnet: every target and every latency_ms hangs on it.
                var ms = ThroughputBenchmark.TimeInterleaved([original], Warmup + 3, CheckRounds, cancel)[0];
                reference = new LatencyReference(options.Engine.ToName(), options.Batch, options.Threads, LatencyStats.Quantile(ms, 0.5), Spread(ms),
                    LatencyTableKey.ThisMachine());
                AtomicFile.WriteText(file, JsonSerializer.Serialize(reference));
                folder.Created(file);
            }
            var meter = new LatencyMeter(options, inputs, original, o.OutDir, reference) { Source = o.LatencySource };
            if (o.LatencySource != LatencySource.Measure)
                meter.Table = LatencyTableRun.Open(o, calibrated, options, m => meter.Measure(m, cancel).Ms, reference.OriginalMs, folder, cancel);
            return meter;
        }
        catch
        {
            original.Dispose();
            throw;
        }
    }

    /// <summary>Times <paramref name="model"/> interleaved with the original.</summary>
    /// <returns>The drift-corrected median ms, the spread ((p90 − p10) / median) of its runs, and its median over the original's in this measurement.</returns>
    /// <remarks>With a table, the table's prediction (spread 0) instead.</remarks>
    public (double Ms, double Spread, double Ratio) Measure(OnnxModel model, CancellationToken cancel)
    {
        if (Table is not null)
        {
            double predicted = Table.Predict(model);
            return (predicted, 0, predicted / Reference.OriginalMs);
        }
        // ONNX Runtime and TensorRT load models from files: a temporary one in the run folder, removed afterwards.
        string tmp = Path.Combine(_dir, $".latency-{Guid.NewGuid():N}.onnx");
        try
        {
            model.Save(tmp);
            return MeasureFile(tmp, cancel);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>Times the model file <paramref name="path"/> interleaved with the original (see <see cref="Measure"/>).</summary>
    /// <param name="path">The model file.</param>
    /// <param name="rounds">Timed runs of each (1 or more; 0: the search's own number).</param>
    /// <param name="cancel">Checked between runs.</param>
    public (double Ms, double Spread, double Ratio) MeasureFile(string path, CancellationToken cancel, int rounds = 0)
    {
        using var runner = ThroughputBenchmark.OpenRunner(path, _inputs, _options);
        var ms = ThroughputBenchmark.TimeInterleaved([_original, runner], Warmup, rounds > 0 ? rounds : Rounds, cancel);
        double orig = LatencyStats.Quantile(ms[0], 0.5), mine = LatencyStats.Quantile(ms[1], 0.5);
        return (mine * Reference.OriginalMs / orig, Spread(ms[1]), mine / orig);
    }

    /// <summary>Whether <see cref="CheckRatio"/> predicts rather than measures (<see cref="LatencySource.Table"/>): what the
    /// written models' ratio and the run's messages then say.</summary>
    public bool ChecksByPrediction => Source == LatencySource.Table;

    /// <summary>The latency ratio to the original a written model is checked with: re-measured (<see cref="CheckRounds"/>),
    /// or the table's prediction when <see cref="ChecksByPrediction"/>.</summary>
    public double CheckRatio(string path, OnnxModel model, CancellationToken cancel) =>
        ChecksByPrediction ? Measure(model, cancel).Ratio : MeasureFile(path, cancel, CheckRounds).Ratio;

    /// <summary>Timed runs of the final check: three times the search's, since a written model's claim rests on it.</summary>
    public const int CheckRounds = 3 * Rounds;

    private static double Spread(double[] ms) => (LatencyStats.Quantile(ms, 0.9) - LatencyStats.Quantile(ms, 0.1)) / LatencyStats.Quantile(ms, 0.5);

    private static LatencyReference Load(string file)
    {
        try
        {
            var r = JsonSerializer.Deserialize<LatencyReference>(File.ReadAllText(file));
            if (r is null || !(r.OriginalMs > 0)) throw new JsonException("no positive original latency");
            return r;
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{file}: corrupt latency reference ({e.Message.Split('.')[0]})");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Table?.SaveCache();
        _original.Dispose();
    }
}
