namespace FastPrune;

/// <summary>One gene of a model's search space: a group of channels (or heads) that shrink together.</summary>
/// <param name="Name">The group, named after its first layer.</param>
/// <param name="Kind">channels, heads, hidden or groups.</param>
/// <param name="Min">Smallest count a genome may give it.</param>
/// <param name="Max">The unpruned count.</param>
/// <param name="Step">Counts are multiples of this (whole heads or conv groups).</param>
public sealed record GeneInfo(string Name, string Kind, int Min, int Max, int Step)
{
    internal static GeneInfo Of(Graph.Pruning.Gene g) => new(g.Name, g.KindName, g.Min, g.Max, g.Step);
}
