using FastPrune.Runtime;

namespace FastPrune;

/// <summary>How <see cref="Pruner.Benchmark"/> times models. Every default is the one <c>fastprune bench</c> shows.</summary>
public sealed record BenchSettings
{
    // The runtime's own options are the one source of every default below.
    private static readonly BenchmarkOptions Runtime = new();

    /// <summary>The engine (default null: auto, TensorRT where its shim and a GPU are present, else ONNX Runtime CUDA where a
    /// session can be created, else ONNX Runtime CPU).</summary>
    public InferenceEngine? Engine { get; init; }
    /// <summary>Images per run (default: 128).</summary>
    public int Batch { get; init; } = Runtime.Batch;
    /// <summary>Untimed runs first (default: 5).</summary>
    public int Warmup { get; init; } = Runtime.Warmup;
    /// <summary>Timed runs; images per second come from their median (default: 20).</summary>
    public int Iterations { get; init; } = Runtime.Iterations;
    /// <summary>ONNX Runtime intra-op threads (default 0: one per physical core).</summary>
    public int Threads { get; init; } = Runtime.Threads;
    /// <summary>TensorRT: forbid TF32 tensor cores (default: false).</summary>
    public bool StrictFp32 { get; init; } = Runtime.StrictFp32;
    /// <summary>Shapes for dynamic inputs, as <see cref="WorkspaceOptions.InputShapes"/> (default: none).</summary>
    public IReadOnlyList<string> InputShapes { get; init; } = [];
}

/// <summary>What <see cref="Pruner.Benchmark"/> measured.</summary>
/// <param name="Engine">The engine every model ran on.</param>
/// <param name="AutoChoice">With engine auto, why faster engines were passed over (empty when TensorRT was chosen); else null.</param>
/// <param name="Models">One result per model, in the order given; the first is the baseline of speedups.</param>
public sealed record BenchReport(InferenceEngine Engine, string? AutoChoice, IReadOnlyList<ThroughputResult> Models);
