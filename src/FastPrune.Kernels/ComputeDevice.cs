namespace FastPrune.Kernels;

/// <summary>Where reconstruction math runs. Chosen once per engine by <see cref="ReconEngine.Create(ComputeDevice)"/>.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA through ILGPU when ILGPU finds a CUDA device, otherwise the managed CPU path.</summary>
    Auto,

    /// <summary>The vectorised, multithreaded managed CPU path (the CPU default: ILGPU's CPU accelerator is an emulator).</summary>
    Cpu,

    /// <summary>ILGPU's CUDA accelerator (first CUDA device).</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: runs the same kernels as CUDA, slowly; for tests and debugging.</summary>
    IlgpuCpu,
}
