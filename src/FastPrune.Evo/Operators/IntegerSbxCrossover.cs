namespace FastPrune.Evo.Operators;

/// <summary>
/// Simulated binary crossover (Deb and Agrawal 1995, bounded form as in pymoo) on each gene's grid index, then
/// rounded to the grid and clamped. Working on indices rather than values makes the spread independent of
/// the step. Children stay near their parents, with spread falling as <see cref="Eta"/> grows.
/// </summary>
public sealed class IntegerSbxCrossover : ICrossover
{
    /// <summary>Creates the operator.</summary>
    /// <param name="probability">Chance that a pair is recombined at all; otherwise the children copy the parents.</param>
    /// <param name="eta">Distribution index: larger keeps children closer to the parents (pymoo's NSGA-III uses 30).</param>
    /// <param name="geneProbability">Chance that a differing gene is recombined (pymoo: 0.5).</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability outside [0, 1] or a negative or non-finite eta.</exception>
    public IntegerSbxCrossover(double probability = 0.9, double eta = 15, double geneProbability = 0.5)
    {
        Probability = Operators.Probability.Check(probability, nameof(probability));
        Eta = Operators.Probability.CheckIndex(eta, nameof(eta));
        GeneProbability = Operators.Probability.Check(geneProbability, nameof(geneProbability));
    }

    /// <summary>Chance that a pair is recombined.</summary>
    public double Probability { get; }

    /// <summary>The distribution index.</summary>
    public double Eta { get; }

    /// <summary>Chance that a differing gene is recombined.</summary>
    public double GeneProbability { get; }

    /// <inheritdoc/>
    public void Cross(GenomeSpace space, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> childA, Span<int> childB, Xoshiro256StarStar rng)
    {
        a.CopyTo(childA);
        b.CopyTo(childB);
        if (rng.NextDouble() >= Probability)
            return;
        for (int i = 0; i < a.Length; i++)
        {
            var g = space.Genes[i];
            // Draw for every gene, even equal ones, so the number of draws per call does not depend on the data.
            double u = rng.NextDouble(), pick = rng.NextDouble(), swap = rng.NextDouble();
            if (a[i] == b[i] || pick >= GeneProbability)
                continue;
            double ka = g.IndexOf(a[i]), kb = g.IndexOf(b[i]);
            double y1 = Math.Min(ka, kb), y2 = Math.Max(ka, kb), delta = y2 - y1;
            // Bounds half a step outside the grid, so the end values are as reachable as inner ones after rounding.
            double lo = -0.5, hi = g.Count - 0.5;
            double c1 = Child(y1, y2, delta, y1 - lo, u, -1);
            double c2 = Child(y1, y2, delta, hi - y2, u, +1);
            if (swap < 0.5)
                (c1, c2) = (c2, c1);
            childA[i] = g.Snap(c1);
            childB[i] = g.Snap(c2);
        }
    }

    private double Child(double y1, double y2, double delta, double room, double u, int side)
    {
        double beta = 1 + 2 * room / delta;
        double alpha = 2 - Math.Pow(beta, -(Eta + 1));
        double betaq = u <= 1 / alpha
            ? Math.Pow(u * alpha, 1 / (Eta + 1))
            : Math.Pow(1 / (2 - u * alpha), 1 / (Eta + 1));
        return 0.5 * (y1 + y2 + side * betaq * delta);
    }
}
