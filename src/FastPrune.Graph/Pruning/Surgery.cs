using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Applies kept units to a model: slices every coupled initializer axis, updates depthwise and grouped convs' groups,
/// rewrites Reshape targets that carry a pruned size, and leaves everything else as it was.
/// </summary>
public static class Surgery
{
    /// <summary>The pruned model for <paramref name="kept"/> (kept unit indices per gene, ascending).</summary>
    /// <exception cref="GenomeException">The kept sets do not fit the genes.</exception>
    /// <exception cref="ModelFormatException">A Reshape target cannot be rewritten.</exception>
    public static OnnxModel Apply(PrunableStructure s, IReadOnlyList<int[]> kept) => ApplyWithSlices(s, kept).Model;

    /// <summary>The pruned model and, per sliced initializer, the original indices kept along each sliced axis
    /// (what reconstruction needs to pick the sub-blocks of a layer's Gram).</summary>
    /// <exception cref="GenomeException">The kept sets do not fit the genes.</exception>
    /// <exception cref="ModelFormatException">A Reshape target cannot be rewritten.</exception>
    public static PrunedModel ApplyWithSlices(PrunableStructure s, IReadOnlyList<int[]> kept)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(kept);
        if (kept.Count != s.Genes.Count)
            throw new GenomeException($"{kept.Count} kept sets for {s.Genes.Count} genes");
        var keptByRoot = new Dictionary<int, int[]>();
        for (int g = 0; g < kept.Count; g++)
        {
            var k = kept[g];
            if (k.Length == 0 || k.Any(u => u < 0 || u >= s.Genes[g].Max) || k.Zip(k.Skip(1)).Any(p => p.First >= p.Second))
                throw new GenomeException($"gene {g + 1} ({s.Genes[g].Name}): kept units must be distinct, ascending and in 0..{s.Genes[g].Max - 1}");
            if (k.Length < s.Genes[g].Max) keptByRoot[s.GeneSpace[g]] = k;
        }

        // Sharing the ByteStrings of untouched initializers: Clone() copies references to immutable bytes.
        var proto = s.Model.Proto.Clone();
        var graph = proto.Graph;
        // Every run on an axis that any pruned group touches: runs of other groups on the same axis
        // (a Concat's consumer) keep all their channels.
        var slices = new Dictionary<string, List<(int, long[])>>(StringComparer.Ordinal);
        foreach (var axisUsages in s.UsagesByRoot.SelectMany(kv => kv.Value.Select(u => (Root: kv.Key, Usage: u)))
                     .GroupBy(x => (x.Usage.Initializer, x.Usage.Axis)))
        {
            if (!axisUsages.Any(x => keptByRoot.ContainsKey(x.Root))) continue;
            var (init, axis) = axisUsages.Key;
            if (!slices.TryGetValue(init, out var list)) slices[init] = list = [];
            foreach (var (root, u) in axisUsages)
            {
                var space = s.Roots[root];
                var units = keptByRoot.GetValueOrDefault(root) ?? Enumerable.Range(0, (int)space.Units).ToArray();
                list.Add((axis, PrunableStructure.Expand(u, space, units)));
            }
        }
        var applied = new Dictionary<string, IReadOnlyList<(int Axis, long[] Indices)>>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Initializer.Count; i++)
            if (slices.TryGetValue(graph.Initializer[i].Name, out var list))
            {
                var merged = MergeAxes(list);
                applied[graph.Initializer[i].Name] = merged;
                graph.Initializer[i] = TensorSlicer.Slice(graph.Initializer[i], merged);
            }
        ResizeInitializerInputs(graph, applied.Keys);

        var inits = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var (n, perGroup) in s.GroupedConvs)
        {
            var node = graph.Node[n];
            long channels = inits[node.Input[1]].Dims[0];
            var group = node.Attribute.First(a => a.Name == "group");
            group.I = channels / perGroup; // whole groups were kept, each with its original width
        }
        // targets, bounds and sizes first, dead shape chains last: removing nodes shifts the indices the rewriters use
        var names = new HashSet<string>(graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
        var replaced = new List<string>();
        ReshapeRewriter.Rewrite(s, graph, keptByRoot, names, replaced);
        ChunkRewriter.Rewrite(s, graph, keptByRoot, names, replaced);
        ReshapeRewriter.RemoveDeadNodes(graph, replaced);
        DropStaleValueInfo(s, graph, keptByRoot);
        return new PrunedModel(OnnxModel.FromProto(proto, null, s.Model.ShapeOptions), applied);
    }

    /// <summary>
    /// Old exporters (IR &lt; 4) also list every initializer as a graph input with its shape; ONNX Runtime
    /// rejects a model where that declared shape and the sliced initializer disagree.
    /// </summary>
    private static void ResizeInitializerInputs(GraphProto graph, IEnumerable<string> sliced)
    {
        var names = sliced.ToHashSet(StringComparer.Ordinal);
        var inits = graph.Initializer.Where(t => names.Contains(t.Name)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (!inits.TryGetValue(input.Name, out var t) || input.Type?.TensorType?.Shape is not { } shape) continue;
            shape.Dim.Clear();
            foreach (var d in t.Dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
    }

    /// <summary>Several runs on one axis (a Concat's consumer) become one ascending index list.</summary>
    private static List<(int Axis, long[] Indices)> MergeAxes(List<(int Axis, long[] Indices)> list) =>
        list.GroupBy(x => x.Axis).Select(g => (g.Key, g.SelectMany(x => x.Indices).Distinct().Order().ToArray())).ToList();

    private static void DropStaleValueInfo(PrunableStructure s, GraphProto graph, Dictionary<int, int[]> keptByRoot)
    {
        bool Changed(AxisTag?[] tags) => tags.Any(t => t is not null && t.Spaces.Any(sp => keptByRoot.ContainsKey(s.RootOf(sp))));
        for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
            if (s.Tags.TryGetValue(graph.ValueInfo[i].Name, out var tags) && Changed(tags))
                graph.ValueInfo.RemoveAt(i);
    }
}

/// <summary>A pruned model with the original indices kept along every sliced initializer axis.</summary>
/// <param name="Model">The pruned model.</param>
/// <param name="Slices">Per sliced initializer: (axis, kept original indices ascending).</param>
public sealed record PrunedModel(OnnxModel Model, IReadOnlyDictionary<string, IReadOnlyList<(int Axis, long[] Indices)>> Slices)
{
    /// <summary>The kept original indices of <paramref name="initializer"/> along <paramref name="axis"/>, or null when that axis was not sliced.</summary>
    public long[]? Kept(string initializer, int axis) =>
        Slices.TryGetValue(initializer, out var list) ? list.FirstOrDefault(x => x.Axis == axis).Indices : null;
}
