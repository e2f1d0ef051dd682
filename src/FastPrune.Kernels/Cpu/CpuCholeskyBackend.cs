namespace FastPrune.Kernels.Cpu;

/// <summary>Solves jobs with <see cref="CpuCholesky"/>: big systems one after another with all threads, small ones side by side.</summary>
internal sealed unsafe class CpuCholeskyBackend(int threads) : ICholeskyBackend
{
    private const int SmallSize = 256;

    public void Solve(IReadOnlyList<SolveJob> jobs)
    {
        var small = jobs.Where(j => j.Live.Length < SmallSize).ToArray();
        Parallel.ForEach(small, new ParallelOptions { MaxDegreeOfParallelism = threads }, job => SolveOne(job, 1));
        foreach (var job in jobs.Where(j => j.Live.Length >= SmallSize))
            SolveOne(job, threads);
    }

    private static void SolveOne(SolveJob job, int threads)
    {
        int n = job.Live.Length, m = job.Out.Length;
        var a = new float[(long)n * n];
        job.Gather(a, job.Weights);
        fixed (float* pa = a, pw = job.Weights)
        {
            if (!CpuCholesky.Factor(pa, n, threads))
            {
                job.Succeeded = false;
                return;
            }
            CpuCholesky.Solve(pa, n, pw, m, threads);
        }
        // Overflow in the solve is a failed factorisation in disguise: escalate rather than return Inf.
        job.Succeeded = float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<float>(job.Weights) * 0f);
    }
}
