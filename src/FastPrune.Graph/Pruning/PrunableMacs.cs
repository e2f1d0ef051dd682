namespace FastPrune.Graph.Pruning;

/// <summary>
/// How much of a model's compute the search space reaches: the fraction of its MACs (see <see cref="ModelCost"/>)
/// that lies in layers some gene can shrink. A MAC-counting node (Conv, ConvTranspose, Gemm, MatMul) can shrink
/// when a tensor it reads or writes has an axis in a channel space that is a gene, i.e. its input or its output
/// channels (or attention heads) are in a group that is neither frozen nor too small to prune; the weights it
/// multiplies are sliced with them, so its MACs fall when the gene does.
/// </summary>
public static class PrunableMacs
{
    /// <summary>MACs of shrinkable layers / all MACs; 0 for a model without MACs.</summary>
    /// <param name="structure">The analysed model.</param>
    /// <param name="cost">The cost of <paramref name="structure"/>'s model (<see cref="ModelCost.Compute(OnnxModel)"/>).</param>
    public static double Fraction(PrunableStructure structure, ModelCost cost)
    {
        ArgumentNullException.ThrowIfNull(structure);
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Macs == 0) return 0;
        long shrinkable = ShrinkableNodes(structure).Sum(n => cost.MacsByNode.GetValueOrDefault(n));
        return (double)shrinkable / cost.Macs;
    }

    /// <summary>The nodes (indices in <see cref="PrunableStructure.Index"/>) with an input or output axis in a gene's space.</summary>
    /// <param name="structure">The analysed model.</param>
    public static IReadOnlySet<int> ShrinkableNodes(PrunableStructure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var genes = structure.GeneSpace.ToHashSet();
        var result = new HashSet<int>();
        var graph = structure.Index.Graph;
        for (int n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (node.OpType is not ("Conv" or "ConvTranspose" or "Gemm" or "MatMul")) continue;
            if (node.Input.Concat(node.Output).Any(t => InGene(structure, genes, t)))
                result.Add(n);
        }
        return result;
    }

    private static bool InGene(PrunableStructure s, HashSet<int> genes, string tensor) =>
        tensor.Length > 0 && s.Tags.TryGetValue(tensor, out var tags)
        && tags.Any(t => t is not null && t.Spaces.Any(space => genes.Contains(s.RootOf(space))));
}
