namespace FastPrune.Graph.Pruning;

/// <summary>
/// A genome made into a model: its kept units chosen, the surgery applied and the result counted. <see cref="Build"/> is
/// the one genome → surgery → cost call that the pipeline's subnet evaluation, the data-free <c>prune</c>, the search's
/// cost of a genome (<see cref="GenomeCost"/>) and the benches share, so that what is pruned and what is counted cannot drift apart.
/// </summary>
/// <param name="Pruned">The pruned model with the original indices kept along every sliced axis (what reconstruction needs).</param>
/// <param name="Cost">MACs and params of the pruned model, counted after surgery.</param>
public sealed record PrunedSubnet(PrunedModel Pruned, ModelCost Cost)
{
    /// <summary>The pruned model.</summary>
    public OnnxModel Model => Pruned.Model;

    /// <summary>Prunes <paramref name="structure"/> to <paramref name="genome"/> (kept units per gene chosen by
    /// <paramref name="method"/>; <paramref name="seed"/> is used by random selection) and counts the result.</summary>
    /// <exception cref="GenomeException">The genome does not fit the genes.</exception>
    /// <exception cref="ModelFormatException">A Reshape target cannot be rewritten.</exception>
    public static PrunedSubnet Build(PrunableStructure structure, IReadOnlyList<int> genome, SelectionMethod method, int seed)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var pruned = Surgery.ApplyWithSlices(structure, ChannelSelection.Select(structure, genome, method, seed));
        return new PrunedSubnet(pruned, ModelCost.Compute(pruned.Model));
    }
}
