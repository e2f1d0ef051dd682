namespace FastPrune.Kernels;

/// <summary>A full Gram G (Size×Size) and cross matrix H (Size×Rhs) on the host, row-major, in float64.</summary>
internal interface IGramSource
{
    int Size { get; }

    int Rhs { get; }

    ReadOnlySpan<double> Gram { get; }

    ReadOnlySpan<double> Cross { get; }

    /// <summary>False when G or H holds NaN/Inf (checked once per source, not per subnet).</summary>
    bool IsFinite { get; }
}

/// <summary>Caller-supplied matrices wrapped as a source.</summary>
internal sealed class HostGram(double[] gram, double[] cross, int size, int rhs) : IGramSource
{
    private readonly Lazy<bool> _finite = new(() =>
        !double.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum<double>(gram) * 0)
        && !double.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum<double>(cross) * 0));

    public int Size => size;

    public int Rhs => rhs;

    public ReadOnlySpan<double> Gram => gram;

    public ReadOnlySpan<double> Cross => cross;

    // Sum·0 is NaN exactly when some element is NaN or ±Inf (or the sum overflows, which a sane Gram never does).
    public bool IsFinite => _finite.Value;
}
