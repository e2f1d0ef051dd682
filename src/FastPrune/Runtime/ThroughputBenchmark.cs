using FastPrune.Graph;

namespace FastPrune.Runtime;

/// <summary>
/// Measures inference throughput of an ONNX model (the paper's Table 6): warm-up runs, then timed runs of the
/// runtime call alone on inputs allocated once; images per second from the median run.
/// </summary>
public static class ThroughputBenchmark
{
    /// <summary>Loads <paramref name="modelPath"/>, checks its inputs take the batch, and times it.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="options">Engine, batch, warm-up and timed runs.</param>
    /// <param name="cancel">Checked between runs (ONNX Runtime engines).</param>
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
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var model = OnnxModel.Load(modelPath);
        var inputs = InputSpec.ForBatch(model, options.Batch);
        long macs = MacsOrUnknown(model);
        if (options.Engine == InferenceEngine.OrtCpu)
            MemoryFloor.ThrowIfTooLarge(model, inputs, options.Batch, modelPath);
        cancel.ThrowIfCancellationRequested();
        double[] ms = options.Engine == InferenceEngine.TensorRt
            ? TrtThroughput.Measure(modelPath, options)
            : OrtThroughput.Measure(modelPath, inputs, options, cancel);
        return new ThroughputResult(modelPath, options.Engine, options.Batch, macs, ms);
    }

    /// <summary>MACs per image, or −1 when the graph's shapes do not let them be counted: speed is still measurable.</summary>
    private static long MacsOrUnknown(OnnxModel model)
    {
        try
        {
            return ModelCost.Compute(model).Macs;
        }
        catch (ModelFormatException)
        {
            return -1;
        }
    }
}
