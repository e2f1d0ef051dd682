namespace FastPrune;

/// <summary>Where reconstruction (Gram accumulation and solves) and evaluation run.</summary>
public enum ComputeTarget
{
    /// <summary>CUDA where an NVIDIA driver is present, else the CPU.</summary>
    Auto,
    /// <summary>The CPU (managed AVX kernels, ONNX Runtime CPU).</summary>
    Cpu,
    /// <summary>CUDA (ILGPU for reconstruction, ONNX Runtime's CUDA provider for evaluation).</summary>
    Cuda,
}
