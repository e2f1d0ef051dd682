namespace FastPrune.Graph.Pruning;

/// <summary>The cost of a genome without reconstructing it: which units are kept does not change MACs or params.</summary>
public static class GenomeCost
{
    /// <summary>MACs and params of <paramref name="genome"/> applied to <paramref name="structure"/>.</summary>
    /// <exception cref="GenomeException">The genome does not fit the genes.</exception>
    public static ModelCost Of(PrunableStructure structure, IReadOnlyList<int> genome)
    {
        // Any selection gives the same counts; L1 needs no seed.
        return PrunedSubnet.Build(structure, genome, SelectionMethod.L1, 0).Cost;
    }
}
