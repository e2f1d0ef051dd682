using FastPrune.TensorRT;

namespace FastPrune.Runtime;

/// <summary>Times a model on TensorRT through the shim: GPU milliseconds of each enqueue, from CUDA events.</summary>
internal static class TrtThroughput
{
    /// <summary>Milliseconds of each timed run.</summary>
    public static double[] Measure(string modelPath, BenchmarkOptions o)
    {
        if (!TensorRtRuntime.TryLoad(out string reason))
            throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, reason);
        try
        {
            using var engine = TrtEngine.Build(modelPath, o.Batch, o.StrictFp32, o.TrtCacheDir);
            return Array.ConvertAll(engine.Benchmark(o.Warmup, o.Iterations), ms => (double)ms);
        }
        catch (TensorRtException e)
        {
            string text = BenchmarkException.OneLine(e.Message);
            var failure = e.Status switch
            {
                TensorRtStatus.Unavailable => BenchmarkFailure.EngineUnavailable,
                TensorRtStatus.Unsupported => BenchmarkFailure.UnsupportedInput,
                TensorRtStatus.Cuda when text.Contains("out of memory", StringComparison.OrdinalIgnoreCase) => BenchmarkFailure.OutOfMemory,
                _ => BenchmarkFailure.ModelFailed,
            };
            string cause = failure == BenchmarkFailure.OutOfMemory ? $"batch {o.Batch} does not fit on trt: {text}" : $"TensorRT: {text}";
            throw new BenchmarkException(failure, cause, modelPath, e);
        }
    }
}
