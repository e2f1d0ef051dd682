using FastPrune.Graph;

namespace FastPrune.Runtime;

/// <summary>
/// Measures inference throughput of ONNX models (the paper's Table 6): warm-up runs, then timed runs of the
/// runtime call alone on inputs allocated once; images per second from the median run.
/// </summary>
internal static class ThroughputBenchmark
{
    /// <summary>Loads <paramref name="modelPath"/>, checks its inputs take the batch, and times it.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="options">Engine, batch, warm-up and timed runs.</param>
    /// <param name="cancel">Checked between runs.</param>
    /// <returns>Latency of each timed run, with the median, p99 and images per second.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="BenchmarkOptions.Validate"/>).</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="IOException">The model file cannot be read.</exception>
    /// <exception cref="ModelFormatException">The file is not a valid ONNX model.</exception>
    /// <exception cref="BenchmarkException">The engine is unavailable, the inputs cannot take the batch, the batch does not fit, or the model fails in the engine.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public static ThroughputResult Run(string modelPath, BenchmarkOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return RunInterleaved([modelPath], options, cancel)[0];
    }

    /// <summary>
    /// Times several models against each other: all are loaded at once, warmed up, then run in turn, one batch
    /// each per round, so a machine whose speed drifts (other load, clocks, thermals) shifts every model alike
    /// and their ratios stay fair.
    /// </summary>
    /// <param name="modelPaths">The ONNX files; at least one.</param>
    /// <param name="options">Engine, batch, warm-up and timed runs (per model).</param>
    /// <param name="cancel">Checked between runs.</param>
    /// <returns>One result per model, in the order given.</returns>
    /// <exception cref="ArgumentNullException">An argument or a path is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPaths"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="BenchmarkOptions.Validate"/>).</exception>
    /// <exception cref="FileNotFoundException">A model file does not exist.</exception>
    /// <exception cref="IOException">A model file cannot be read.</exception>
    /// <exception cref="ModelFormatException">A file is not a valid ONNX model.</exception>
    /// <exception cref="BenchmarkException">The engine is unavailable, inputs cannot take the batch, the batch does not fit, or a model fails in the engine.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public static IReadOnlyList<ThroughputResult> RunInterleaved(IReadOnlyList<string> modelPaths, BenchmarkOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(modelPaths);
        ArgumentNullException.ThrowIfNull(options);
        if (modelPaths.Count == 0) throw new ArgumentException("no model to benchmark", nameof(modelPaths));
        foreach (string p in modelPaths) ArgumentNullException.ThrowIfNull(p, nameof(modelPaths));
        options.Validate();

        var prepared = modelPaths.Select(p => Prepare(p, options)).ToList();
        var runners = new List<IBatchRunner>(prepared.Count);
        try
        {
            foreach (var (path, inputs, _, batch) in prepared)
            {
                cancel.ThrowIfCancellationRequested();
                runners.Add(OpenRunner(path, inputs, options with { Batch = batch }));
            }
            var ms = TimeInterleaved(runners, options.Warmup, options.Iterations, cancel);
            return prepared.Select((p, m) => new ThroughputResult(p.Path, options.Engine, p.Batch, p.Macs, ms[m])).ToList();
        }
        finally
        {
            foreach (var runner in runners) runner.Dispose();
        }
    }

    /// <summary>Warms every runner up, then times them round by round in turn (run i of each model before run i + 1 of
    /// any), so that a machine whose speed drifts moves all alike; milliseconds per runner and round.</summary>
    internal static double[][] TimeInterleaved(IReadOnlyList<IBatchRunner> runners, int warmup, int rounds, CancellationToken cancel)
    {
        foreach (var runner in runners)
        {
            for (int w = 0; w < warmup; w++)
            {
                cancel.ThrowIfCancellationRequested();
                runner.RunOnceMs();
            }
        }
        var ms = runners.Select(_ => new double[rounds]).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int m = 0; m < runners.Count; m++)
            {
                cancel.ThrowIfCancellationRequested();
                ms[m][r] = runners[m].RunOnceMs();
            }
        }
        return ms;
    }

    /// <summary>Loads <paramref name="path"/> in the engine with its inputs in place (the one place that picks the runner).</summary>
    internal static IBatchRunner OpenRunner(string path, IReadOnlyList<InputSpec> inputs, BenchmarkOptions options) =>
        options.Engine == InferenceEngine.TensorRt ? new TrtBatchRunner(path, options) : new OrtBatchRunner(path, inputs, options);

    /// <summary>Loads a model's graph, its inputs at the batch (refused when the CPU could not hold them), its MACs and
    /// the batch it runs at: <see cref="BenchmarkOptions.Batch"/>, or the model's own when its graph fixes one (an older
    /// exporter's batch 1 cannot run any other; images per second stay comparable across batches).</summary>
    internal static (string Path, IReadOnlyList<InputSpec> Inputs, long Macs, int Batch) Prepare(string path, BenchmarkOptions options)
    {
        var model = Pipeline.ModelLoader.Load(path, options.InputShapes);
        int batch = InputSpec.FixedBatch(model) ?? options.Batch;
        var inputs = InputSpec.ForBatch(model, batch);
        if (options.Engine == InferenceEngine.OrtCpu)
            MemoryFloor.ThrowIfTooLarge(model, inputs, batch, path);
        return (path, inputs, MacsOrUnknown(model), batch);
    }

    /// <summary>MACs per image, or −1 when the graph's shapes do not let them be counted: speed is still measurable.</summary>
    private static long MacsOrUnknown(OnnxModel model)
    {
        try
        {
            return ModelCost.Compute(model).Macs;
        }
        catch (Exception e) when (e is ModelFormatException or InputShapeException)
        {
            return -1;
        }
    }
}
