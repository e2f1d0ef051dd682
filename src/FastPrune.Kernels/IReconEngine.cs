namespace FastPrune.Kernels;

/// <summary>
/// A reconstruction engine: accumulates Gram matrices of layer features and solves batches of ridge least-squares
/// problems on one device. Owns its accelerator (if any) and cached kernels; dispose it to release them.
/// </summary>
public interface IReconEngine : IDisposable
{
    /// <summary>Human-readable backend, e.g. <c>cuda (NVIDIA H100)</c>, <c>cpu (managed, 2 threads)</c>, <c>ilgpu-cpu</c>.</summary>
    string Name { get; }

    /// <summary>The device actually used (never <see cref="ComputeDevice.Auto"/>).</summary>
    ComputeDevice Device { get; }

    /// <summary>Creates an accumulator for G = XᵀX and H = XᵀY over batches of rows.</summary>
    /// <param name="cols">Columns of X (layer inputs per row), ≥ 1.</param>
    /// <param name="rhs">Columns of Y (layer outputs per row), ≥ 1.</param>
    /// <param name="appendOnes">Treat X as having an extra constant-1 column last (index <paramref name="cols"/>), so a bias is solved too.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cols"/> or <paramref name="rhs"/> is below 1.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    GramAccumulator CreateAccumulator(int cols, int rhs, bool appendOnes = false);

    /// <summary>
    /// Solves (G + λI) W = H for every problem, λ = α·mean(diag G). Systems run together in one launch sequence;
    /// a system whose factorisation meets a non-positive pivot is retried with 10× α, at most
    /// <see cref="LstsqOptions.MaxEscalations"/> times.
    /// </summary>
    /// <returns>One result per problem, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="problems"/> or one of its items is null.</exception>
    /// <exception cref="LstsqException">A problem's matrices contain NaN/Inf, or a system stays non-SPD after the escalations.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    IReadOnlyList<LstsqResult> SolveBatch(IReadOnlyList<LstsqProblem> problems, LstsqOptions? options = null);
}
