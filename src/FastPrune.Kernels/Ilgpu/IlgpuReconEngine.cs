using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>The ILGPU engine: CUDA, or ILGPU's CPU accelerator (an emulator, for tests). Owns context, accelerator and kernels.</summary>
internal sealed class IlgpuReconEngine : IReconEngine
{
    private readonly Context _context;
    private readonly IlgpuCholeskyBackend _backend;
    private bool _disposed;

    private IlgpuReconEngine(Context context, Accelerator accelerator, ComputeDevice device, string name)
    {
        _context = context;
        Accelerator = accelerator;
        Device = device;
        Name = name;
        try
        {
            Kernels = new IlgpuKernelSet(accelerator);
        }
        catch
        {
            accelerator.Dispose();
            context.Dispose();
            throw;
        }
        _backend = new IlgpuCholeskyBackend(this);
    }

    internal Accelerator Accelerator { get; }

    internal IlgpuKernelSet Kernels { get; }

    public string Name { get; }

    public ComputeDevice Device { get; }

    /// <summary>The CUDA engine, or null when ILGPU finds no CUDA device.</summary>
    internal static IlgpuReconEngine? TryCreateCuda()
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.Cuda().Math(MathMode.Default));
            var devices = context.GetCudaDevices();
            if (devices.Count == 0)
            {
                context.Dispose();
                return null;
            }
            var accelerator = devices[0].CreateAccelerator(context);
            return new IlgpuReconEngine(context, accelerator, ComputeDevice.Cuda, $"cuda ({accelerator.Name})");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or AcceleratorException or InvalidOperationException)
        {
            // No driver or no usable device: Auto falls back to the CPU.
            context?.Dispose();
            return null;
        }
    }

    internal static IlgpuReconEngine CreateCpu()
    {
        // The default simulated device allows groups of 16 threads; the kernels use 16×16 groups as on CUDA.
        var context = Context.Create(b => b.CPU(new CPUDevice(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1)));
        var accelerator = context.GetCPUDevice(0).CreateAccelerator(context);
        return new IlgpuReconEngine(context, accelerator, ComputeDevice.IlgpuCpu, "ilgpu-cpu");
    }

    public GramAccumulator CreateAccumulator(int cols, int rhs, bool appendOnes = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new IlgpuGramAccumulator(this, cols, rhs, appendOnes);
    }

    public IReadOnlyList<LstsqResult> SolveBatch(IReadOnlyList<LstsqProblem> problems, LstsqOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return LstsqDriver.Solve(_backend, problems, options);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Accelerator.Dispose();
        _context.Dispose();
    }
}
