namespace FastPrune.Runtime;

/// <summary>Why a throughput measurement could not be made.</summary>
internal enum BenchmarkFailure
{
    /// <summary>The engine cannot be used on this machine (no shim, no CUDA libraries, no GPU).</summary>
    EngineUnavailable,

    /// <summary>The model's inputs cannot be given the requested batch (fixed batch, dynamic non-batch dim, unsupported type).</summary>
    UnsupportedInput,

    /// <summary>The engine rejected the model or failed while running it.</summary>
    ModelFailed,

    /// <summary>The batch does not fit in the engine's memory.</summary>
    OutOfMemory,
}
