namespace FastPrune.Runtime;

/// <summary>How <see cref="ThroughputBenchmark"/> measures.</summary>
internal sealed record BenchmarkOptions
{
    /// <summary>The runtime to time on (default ONNX Runtime CPU).</summary>
    public InferenceEngine Engine { get; init; } = InferenceEngine.OrtCpu;

    /// <summary>Images per run, at least 1 (default 128, the paper's Table 6).</summary>
    public int Batch { get; init; } = 128;

    /// <summary>Shapes of inputs whose dims after the batch are dynamic (<c>--input-shape</c>).</summary>
    public IReadOnlyList<Graph.InputShape> InputShapes { get; init; } = [];

    /// <summary>Untimed runs before timing, 0 or more (default 5).</summary>
    public int Warmup { get; init; } = 5;

    /// <summary>Timed runs, at least 1 (default 20); TensorRT allows at most <c>TrtEngine.MaxIterations</c>.</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int Threads { get; init; }

    /// <summary>TensorRT only: forbid TF32 tensor cores (strict IEEE FP32).</summary>
    public bool StrictFp32 { get; init; }

    /// <summary>TensorRT only: folder for the engine cache; null for the model's folder.</summary>
    public string? TrtCacheDir { get; init; }

    /// <summary>Checks every value's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Batch or iterations below 1, warmup or threads negative, iterations above the TensorRT limit, or an undefined engine.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Engine)) throw new ArgumentOutOfRangeException(nameof(Engine), Engine, "not an inference engine");
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1, nameof(Batch));
        ArgumentOutOfRangeException.ThrowIfNegative(Warmup, nameof(Warmup));
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 1, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        if (Engine == InferenceEngine.TensorRt)
            ArgumentOutOfRangeException.ThrowIfGreaterThan(Iterations, FastPrune.TensorRT.TrtEngine.MaxIterations, nameof(Iterations));
    }
}
