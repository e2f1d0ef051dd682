namespace FastPrune.Evo;

/// <summary>
/// One integer decision variable on a grid: its values are <c>Min + k·Step</c> for k ≥ 0 while ≤ <see cref="Max"/>
/// (for pruning, the number of channels kept in one group). <see cref="Max"/> itself is a value only when it lies
/// on the grid.
/// </summary>
/// <param name="Name">A label for reports; unique within a <see cref="GenomeSpace"/>.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The bound on the largest value.</param>
/// <param name="Step">The grid spacing, &gt; 0.</param>
public sealed record IntGene(string Name, int Min, int Max, int Step)
{
    /// <summary>The number of grid values, ⌊(Max − Min) / Step⌋ + 1 (call <see cref="Validate"/> first).</summary>
    public int Count => (int)(((long)Max - Min) / Step) + 1;

    /// <summary>The largest grid value, Min + (Count − 1)·Step.</summary>
    public int Top => (int)(Min + (long)(Count - 1) * Step);

    /// <summary>Throws if the gene cannot describe a non-empty grid.</summary>
    /// <exception cref="ArgumentException"><see cref="Name"/> is null or blank, <see cref="Min"/> &gt; <see cref="Max"/>,
    /// or <see cref="Step"/> ≤ 0.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("A gene needs a non-blank name.", nameof(Name));
        if (Min > Max)
            throw new ArgumentException($"Gene '{Name}': Min ({Min}) > Max ({Max}).", nameof(Min));
        if (Step <= 0)
            throw new ArgumentException($"Gene '{Name}': Step ({Step}) must be positive.", nameof(Step));
    }

    /// <summary>The value with grid index <paramref name="k"/> (0 ≤ k &lt; Count).</summary>
    public int ValueAt(int k) => (int)(Min + (long)k * Step);

    /// <summary>The grid index of <paramref name="value"/>, or −1 if it is not on the grid.</summary>
    public int IndexOf(int value)
    {
        long d = (long)value - Min;
        if (d < 0 || value > Max || d % Step != 0)
            return -1;
        return (int)(d / Step);
    }

    /// <summary>The grid value whose index is nearest to the real index <paramref name="k"/>, clamped to the grid
    /// (the repair step of the real-coded operators).</summary>
    public int Snap(double k) => ValueAt((int)Math.Clamp(Math.Round(k, MidpointRounding.AwayFromZero), 0, Count - 1));
}
