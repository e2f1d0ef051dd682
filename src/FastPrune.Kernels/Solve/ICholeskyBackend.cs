namespace FastPrune.Kernels;

/// <summary>A device that factors and solves a batch of <see cref="SolveJob"/>s (the batch is one launch sequence).</summary>
internal interface ICholeskyBackend
{
    /// <summary>Solves every job; sets <see cref="SolveJob.Succeeded"/> false on a non-positive pivot or a non-finite W.</summary>
    void Solve(IReadOnlyList<SolveJob> jobs);
}
