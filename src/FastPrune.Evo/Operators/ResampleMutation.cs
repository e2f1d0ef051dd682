namespace FastPrune.Evo.Operators;

/// <summary>
/// Per-gene resampling: each gene, with a given chance, takes a uniformly drawn grid value. The paper's
/// "mutation"; unlike polynomial mutation it jumps anywhere on the gene's range.
/// </summary>
public sealed class ResampleMutation : IMutation
{
    /// <summary>Creates the operator.</summary>
    /// <param name="geneProbability">Chance that each gene is resampled; null means 1 / genome length.</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability outside [0, 1].</exception>
    public ResampleMutation(double? geneProbability = null)
    {
        if (geneProbability is { } p)
            Probability.Check(p, nameof(geneProbability));
        GeneProbability = geneProbability;
    }

    /// <summary>The per-gene chance, or null for 1 / genome length.</summary>
    public double? GeneProbability { get; }

    /// <inheritdoc/>
    public void Mutate(GenomeSpace space, Span<int> genome, Xoshiro256StarStar rng)
    {
        double p = Probability.PerGene(GeneProbability, genome.Length);
        for (int i = 0; i < genome.Length; i++)
        {
            var g = space.Genes[i];
            if (rng.NextDouble() < p)
                genome[i] = g.ValueAt(rng.NextInt(0, g.Count));
        }
    }
}
