namespace FastPrune.Evo.Operators;

/// <summary>Recombines two parent genomes into two children (pymoo's Crossover part).</summary>
public interface ICrossover
{
    /// <summary>Writes two children of <paramref name="a"/> and <paramref name="b"/>; every value stays on its gene's grid.</summary>
    void Cross(GenomeSpace space, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> childA, Span<int> childB, Xoshiro256StarStar rng);
}
