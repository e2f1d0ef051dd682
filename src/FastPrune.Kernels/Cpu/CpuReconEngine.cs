namespace FastPrune.Kernels.Cpu;

/// <summary>The managed CPU engine: blocked AVX-512/Vector512 kernels on all cores.</summary>
internal sealed class CpuReconEngine : IReconEngine
{
    private readonly int _threads = Environment.ProcessorCount;
    private readonly CpuCholeskyBackend _backend;
    private bool _disposed;

    internal CpuReconEngine() => _backend = new CpuCholeskyBackend(_threads);

    public string Name => $"cpu (managed, {_threads} threads)";

    public ComputeDevice Device => ComputeDevice.Cpu;

    public GramAccumulator CreateAccumulator(int cols, int rhs, bool appendOnes = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new CpuGramAccumulator(cols, rhs, appendOnes, _threads);
    }

    public IReadOnlyList<LstsqResult> SolveBatch(IReadOnlyList<LstsqProblem> problems, LstsqOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return LstsqDriver.Solve(_backend, problems, options);
    }

    public void Dispose() => _disposed = true;
}
