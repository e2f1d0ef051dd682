using FastPrune.TensorRT;

namespace FastPrune.Runtime;

/// <summary>One model on TensorRT through the shim; a run's time is GPU milliseconds of one enqueue (CUDA events).</summary>
internal sealed class TrtBatchRunner : IBatchRunner
{
    private readonly TrtEngine _engine;
    private readonly string _modelPath;
    private readonly int _batch;

    /// <summary>Builds the engine (or loads it from its cache) with device buffers for every IO tensor.</summary>
    public TrtBatchRunner(string modelPath, BenchmarkOptions options)
    {
        _modelPath = modelPath;
        _batch = options.Batch;
        if (!TensorRtRuntime.TryLoad(out string reason))
            throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, reason);
        try
        {
            _engine = TrtEngine.Build(modelPath, options.Batch, options.StrictFp32, options.TrtCacheDir);
        }
        catch (TensorRtException e)
        {
            throw Failure(e);
        }
    }

    /// <inheritdoc/>
    public double RunOnceMs()
    {
        Span<float> ms = stackalloc float[1];
        try
        {
            _engine.Benchmark(0, ms);
        }
        catch (TensorRtException e)
        {
            throw Failure(e);
        }
        return ms[0];
    }

    /// <inheritdoc/>
    public void Dispose() => _engine?.Dispose();

    private BenchmarkException Failure(TensorRtException e)
    {
        string text = BenchmarkException.OneLine(e.Message);
        var failure = e.Status switch
        {
            TensorRtStatus.Unavailable => BenchmarkFailure.EngineUnavailable,
            TensorRtStatus.Unsupported => BenchmarkFailure.UnsupportedInput,
            TensorRtStatus.Cuda when text.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => BenchmarkFailure.OutOfMemory,
            _ => BenchmarkFailure.ModelFailed,
        };
        string cause = failure == BenchmarkFailure.OutOfMemory ? $"batch {_batch} does not fit on trt: {text}" : $"TensorRT: {text}";
        return new BenchmarkException(failure, cause, _modelPath, e);
    }
}
