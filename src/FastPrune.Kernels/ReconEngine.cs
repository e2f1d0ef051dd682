using FastPrune.Kernels.Cpu;
using FastPrune.Kernels.Ilgpu;

namespace FastPrune.Kernels;

/// <summary>Creates <see cref="IReconEngine"/>s for a <see cref="ComputeDevice"/>.</summary>
public static class ReconEngine
{
    /// <summary>
    /// Creates an engine. <see cref="ComputeDevice.Auto"/> picks CUDA when ILGPU finds a CUDA device, else the managed
    /// CPU path (ILGPU's CPU accelerator is an emulator and far slower; it is chosen only explicitly).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="device"/> is not a defined value.</exception>
    /// <exception cref="InvalidOperationException"><see cref="ComputeDevice.Cuda"/> was asked for and no CUDA device is usable.</exception>
    public static IReconEngine Create(ComputeDevice device) => device switch
    {
        ComputeDevice.Auto => (IReconEngine?)IlgpuReconEngine.TryCreateCuda() ?? new CpuReconEngine(),
        ComputeDevice.Cpu => new CpuReconEngine(),
        ComputeDevice.Cuda => IlgpuReconEngine.TryCreateCuda() ?? throw new InvalidOperationException("No CUDA device is usable through ILGPU."),
        ComputeDevice.IlgpuCpu => IlgpuReconEngine.CreateCpu(),
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Unknown compute device."),
    };

    /// <summary>Parses a <c>--device</c> value: auto, cpu, cuda or ilgpu-cpu (case-insensitive).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> names no device.</exception>
    public static ComputeDevice ParseDevice(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant() switch
        {
            "auto" => ComputeDevice.Auto,
            "cpu" => ComputeDevice.Cpu,
            "cuda" => ComputeDevice.Cuda,
            "ilgpu-cpu" => ComputeDevice.IlgpuCpu,
            _ => throw new ArgumentException($"Unknown device '{text}'; expected auto, cpu, cuda or ilgpu-cpu.", nameof(text)),
        };
    }
}
