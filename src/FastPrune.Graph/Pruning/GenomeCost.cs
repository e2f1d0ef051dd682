namespace FastPrune.Graph.Pruning;

/// <summary>The cost of a genome without reconstructing it: which units are kept does not change MACs or params.</summary>
public static class GenomeCost
{
    /// <summary>MACs and params of <paramref name="genome"/> applied to <paramref name="structure"/>.</summary>
    /// <exception cref="GenomeException">The genome does not fit the genes.</exception>
    public static ModelCost Of(PrunableStructure structure, IReadOnlyList<int> genome)
    {
        ArgumentNullException.ThrowIfNull(structure);
        return ModelCost.Compute(Surgery.Apply(structure, ChannelSelection.Select(structure, genome, SelectionMethod.L1, 0)));
    }
}
