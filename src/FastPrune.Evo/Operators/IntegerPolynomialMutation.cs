namespace FastPrune.Evo.Operators;

/// <summary>
/// Polynomial mutation (Deb and Goyal 1996, pymoo's bounded form) on each gene's grid index, rounded to the grid
/// and clamped: small moves are likely, large ones possible, and the move shrinks near a bound.
/// </summary>
public sealed class IntegerPolynomialMutation : IMutation
{
    /// <summary>Creates the operator.</summary>
    /// <param name="eta">Distribution index: larger makes smaller moves (pymoo: 20).</param>
    /// <param name="geneProbability">Chance that each gene mutates; null means 1 / genome length (one gene on average).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite eta, or a probability outside [0, 1].</exception>
    public IntegerPolynomialMutation(double eta = 20, double? geneProbability = null)
    {
        Eta = Probability.CheckIndex(eta, nameof(eta));
        if (geneProbability is { } p)
            Probability.Check(p, nameof(geneProbability));
        GeneProbability = geneProbability;
    }

    /// <summary>The distribution index.</summary>
    public double Eta { get; }

    /// <summary>The per-gene chance, or null for 1 / genome length.</summary>
    public double? GeneProbability { get; }

    /// <inheritdoc/>
    public void Mutate(GenomeSpace space, Span<int> genome, Xoshiro256StarStar rng)
    {
        double p = Probability.PerGene(GeneProbability, genome.Length);
        for (int i = 0; i < genome.Length; i++)
        {
            double pick = rng.NextDouble(), u = rng.NextDouble();
            var g = space.Genes[i];
            if (pick >= p || g.Count == 1)
                continue;
            // Half a step beyond each end, so rounding reaches the end values as often as the inner ones.
            double lo = -0.5, hi = g.Count - 0.5, y = g.IndexOf(genome[i]), range = hi - lo;
            double d1 = (y - lo) / range, d2 = (hi - y) / range, power = 1 / (Eta + 1), dq;
            if (u < 0.5)
            {
                double v = 2 * u + (1 - 2 * u) * Math.Pow(1 - d1, Eta + 1);
                dq = Math.Pow(v, power) - 1;
            }
            else
            {
                double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.Pow(1 - d2, Eta + 1);
                dq = 1 - Math.Pow(v, power);
            }
            genome[i] = g.Snap(y + dq * range);
        }
    }
}
