namespace FastPrune.Evo.Operators;

/// <summary>
/// Per-gene uniform crossover: each gene of the first child comes from either parent with chance ½, the second
/// child takes the other. The paper's "crossover" (EAPruning Algorithm 1, after the one-shot NAS searches it
/// follows); it recombines layers' widths without inventing new ones, which mutation then does.
/// </summary>
public sealed class UniformCrossover : ICrossover
{
    /// <summary>Creates the operator.</summary>
    /// <param name="probability">Chance that a pair is recombined at all; otherwise the children copy the parents.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> outside [0, 1].</exception>
    public UniformCrossover(double probability = 0.9) =>
        Probability = Operators.Probability.Check(probability, nameof(probability));

    /// <summary>Chance that a pair is recombined.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public void Cross(GenomeSpace space, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> childA, Span<int> childB, Xoshiro256StarStar rng)
    {
        a.CopyTo(childA);
        b.CopyTo(childB);
        if (rng.NextDouble() >= Probability)
            return;
        for (int i = 0; i < a.Length; i++)
        {
            if (rng.NextDouble() < 0.5)
            {
                childA[i] = b[i];
                childB[i] = a[i];
            }
        }
    }
}
