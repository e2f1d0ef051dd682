namespace FastPrune.Kernels;

/// <summary>
/// One ridge least-squares system: the sub-block G[keptIn, keptIn], H[keptIn, keptOut] of a full Gram.
/// Light: it holds the source and the indices; the engine gathers the sub-block when it solves
/// (on the device for a device-resident accumulator), so ~1500 subnets can share one layer Gram.
/// </summary>
public sealed class LstsqProblem
{
    internal LstsqProblem(IGramSource source, int[] keptIn, int[] keptOut, string label)
    {
        Source = source;
        KeptIn = keptIn;
        KeptOut = keptOut;
        Label = label;
    }

    internal IGramSource Source { get; }

    internal int[] KeptIn { get; }

    internal int[] KeptOut { get; }

    /// <summary>Names the problem in results and errors (e.g. the layer name).</summary>
    public string Label { get; }

    /// <summary>Number of unknown rows of W (kept inputs).</summary>
    public int Size => KeptIn.Length;

    /// <summary>Number of right-hand sides (kept outputs).</summary>
    public int Rhs => KeptOut.Length;

    /// <summary>A problem over all of the given matrices: G is <paramref name="size"/>² and H is <paramref name="size"/>×<paramref name="rhs"/>, row-major.</summary>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> or <paramref name="rhs"/> is below 1.</exception>
    /// <exception cref="ArgumentException">A matrix has the wrong length.</exception>
    public static LstsqProblem FromMatrices(double[] gram, double[] cross, int size, int rhs, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(gram);
        ArgumentNullException.ThrowIfNull(cross);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rhs, 1);
        if (gram.Length != (long)size * size)
            throw new ArgumentException($"gram has {gram.Length} elements, expected {(long)size * size}.", nameof(gram));
        if (cross.Length != (long)size * rhs)
            throw new ArgumentException($"cross has {cross.Length} elements, expected {(long)size * rhs}.", nameof(cross));
        var source = new HostGram(gram, cross, size, rhs);
        return new LstsqProblem(source, Enumerable.Range(0, size).ToArray(), Enumerable.Range(0, rhs).ToArray(), label ?? "");
    }

    /// <summary>Writes the sub-Gram (Size²) and sub-cross (Size×Rhs) matrices, row-major.</summary>
    /// <exception cref="ArgumentException">A destination has the wrong length.</exception>
    public void CopySubBlocks(Span<double> subGram, Span<double> subCross)
    {
        int n = Size, m = Rhs;
        if (subGram.Length != n * n)
            throw new ArgumentException($"subGram has {subGram.Length} elements, expected {n * n}.", nameof(subGram));
        if (subCross.Length != n * m)
            throw new ArgumentException($"subCross has {subCross.Length} elements, expected {n * m}.", nameof(subCross));
        ReadOnlySpan<double> g = Source.Gram, h = Source.Cross;
        int size = Source.Size, rhs = Source.Rhs;
        for (int i = 0; i < n; i++)
        {
            var gRow = g.Slice(KeptIn[i] * size, size);
            var hRow = h.Slice(KeptIn[i] * rhs, rhs);
            for (int j = 0; j < n; j++)
                subGram[i * n + j] = gRow[KeptIn[j]];
            for (int j = 0; j < m; j++)
                subCross[i * m + j] = hRow[KeptOut[j]];
        }
    }
}
