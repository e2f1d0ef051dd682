namespace FastPrune.Evo.Operators;

/// <summary>Perturbs a genome in place (pymoo's Mutation part); every value stays on its gene's grid.</summary>
public interface IMutation
{
    /// <summary>Mutates <paramref name="genome"/> in place.</summary>
    void Mutate(GenomeSpace space, Span<int> genome, Xoshiro256StarStar rng);
}
