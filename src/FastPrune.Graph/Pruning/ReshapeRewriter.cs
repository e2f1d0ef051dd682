using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Rewrites the target of every Reshape whose output shape changes with the pruned sizes. Whether
/// the target was a constant or built at run time by a shape chain (Shape→Gather→Unsqueeze→Concat),
/// it becomes a new constant: known dims as numbers, dims equal to the input's (the batch) as 0
/// ("copy"), and at most one -1. Shape-chain nodes left without consumers are removed.
/// </summary>
internal static class ReshapeRewriter
{
    /// <summary>Points every affected Reshape at a new constant target; the old targets' names go to <paramref name="replaced"/>
    /// (see <see cref="RemoveDeadNodes"/>). Node indices stay valid: nothing is removed here.</summary>
    public static void Rewrite(PrunableStructure s, GraphProto graph, Dictionary<int, int[]> keptByRoot, HashSet<string> newNames, List<string> replaced)
    {
        if (keptByRoot.Count == 0) return;
        foreach (var (nodeIndex, input) in s.ShapeInputs)
        {
            var node = graph.Node[nodeIndex];
            var tags = s.Tags.GetValueOrDefault(node.Output[0]) ?? [];
            var oldShape = s.Shapes[node.Output[0]].Shape!;
            var inShape = s.Shapes[node.Input[0]].Shape;
            var newShape = (Dim[])oldShape.Clone();
            bool changed = false;
            for (int j = 0; j < tags.Length; j++)
            {
                var t = tags[j];
                if (t is null) continue;
                var root = s.Roots[s.RootOf(t.Space)];
                long heads = keptByRoot.TryGetValue(root.Id, out var k) ? k.Length : root.Heads;
                Dim? size = t.Kind switch
                {
                    TagKind.Channel => Dim.Of(t.Segments!.Sum(seg => NewLength(s, seg, keptByRoot) * seg.Inner)),
                    TagKind.Heads => Dim.Of(heads),
                    TagKind.BatchHeads => oldShape[j] / Dim.Of(root.Heads) * Dim.Of(heads), // batch × heads
                    _ => null,
                };
                if (size is { } d && d != oldShape[j])
                {
                    newShape[j] = d;
                    changed = true;
                }
            }
            // A target computed from the shape of a pruned tensor (Swin's qkv reshape takes C // heads from the trunk it
            // read) would compute the wrong size at run time even where this Reshape's own sizes did not change.
            bool stale = !changed && ReadsPrunedShape(s, node.Input[input], keptByRoot);
            if (!changed && !stale) continue;
            bool allowZero = Attr.Int(node, "allowzero", 0) != 0;
            var target = new long[newShape.Length];
            int unknown = -1;
            for (int j = 0; j < newShape.Length; j++)
            {
                if (newShape[j].IsKnown) target[j] = newShape[j].Value;
                else if (!allowZero && inShape is not null && j < inShape.Length && inShape[j] == newShape[j] && !newShape[j].IsUnknown) target[j] = 0;
                else if (unknown < 0) { unknown = j; target[j] = -1; }
                else throw new ModelFormatException(stale
                    ? "Reshape target is computed from the shape of a pruned tensor and cannot be made constant (two unknown dims)"
                    : "Reshape target cannot be rewritten for the pruned sizes (two unknown dims)", node: node.Name);
            }
            Replace(graph, node, input, target, $"_pruned_{nodeIndex}", newNames, replaced);
        }
    }

    /// <summary>Whether the shape chain computing <paramref name="target"/> reads the Shape of a tensor whose channels shrink
    /// (walked back with a work list, no recursion).</summary>
    private static bool ReadsPrunedShape(PrunableStructure s, string target, Dictionary<int, int[]> keptByRoot)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>([target]);
        while (work.Count > 0)
        {
            var tensor = work.Pop();
            if (!seen.Add(tensor) || s.Index.Producer(tensor) is var p && p < 0) continue;
            var n = s.Index.Node(p);
            if (n.OpType == "Shape")
            {
                if (s.Tags.TryGetValue(n.Input[0], out var tags) && tags.Any(t => t is not null && t.Spaces.Any(sp => keptByRoot.ContainsKey(s.RootOf(sp)))))
                    return true;
                continue;
            }
            foreach (var i in n.Input)
                if (i.Length > 0) work.Push(i);
        }
        return false;
    }

    /// <summary>Points <paramref name="node"/>'s input <paramref name="input"/> at a new int64 initializer holding <paramref name="values"/>.</summary>
    public static void Replace(GraphProto graph, NodeProto node, int input, long[] values, string suffix, HashSet<string> newNames, List<string> replaced)
    {
        string name = Unique(newNames, node.Input[input] + suffix);
        graph.Initializer.Add(TensorData.FromInt64s(name, [values.Length], values));
        replaced.Add(node.Input[input]);
        node.Input[input] = name;
    }

    /// <summary>The pruned length of a run of channels (all its blocks, before <see cref="Segment.Inner"/>).</summary>
    public static long NewLength(PrunableStructure s, Segment seg, Dictionary<int, int[]> keptByRoot)
    {
        int root = s.RootOf(seg.Space);
        var space = s.Roots[root];
        if (!keptByRoot.TryGetValue(root, out var kept)) return seg.Length;
        return space.IsHeads ? seg.Length / space.Heads * kept.Length : kept.Length;
    }

    private static string Unique(HashSet<string> names, string name)
    {
        var n = name;
        for (int i = 1; !names.Add(n); i++) n = $"{name}_{i}";
        return n;
    }

    /// <summary>Removes the nodes that only computed the replaced targets, walking back from them with a
    /// work list (no recursion), and the initializers only they read.</summary>
    public static void RemoveDeadNodes(GraphProto graph, List<string> replaced)
    {
        if (replaced.Count == 0) return;
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < graph.Node.Count; k++)
        {
            foreach (var i in graph.Node[k].Input) uses[i] = uses.GetValueOrDefault(i) + 1;
            foreach (var o in graph.Node[k].Output) producer[o] = k;
        }
        var dead = new HashSet<int>();
        var freed = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>(replaced);
        while (work.Count > 0)
        {
            var tensor = work.Pop();
            if (uses.GetValueOrDefault(tensor) > 0 || outputs.Contains(tensor)) continue;
            if (!producer.TryGetValue(tensor, out var k))
            {
                freed.Add(tensor);
                continue;
            }
            var n = graph.Node[k];
            if (dead.Contains(k) || n.Output.Any(o => o.Length > 0 && (outputs.Contains(o) || uses.GetValueOrDefault(o) > 0))) continue;
            dead.Add(k);
            foreach (var i in n.Input)
            {
                uses[i] = uses.GetValueOrDefault(i) - 1;
                work.Push(i);
            }
        }
        foreach (var k in dead.OrderDescending()) graph.Node.RemoveAt(k);
        for (int k = graph.Initializer.Count - 1; k >= 0; k--)
            if (freed.Contains(graph.Initializer[k].Name) && uses.GetValueOrDefault(graph.Initializer[k].Name) <= 0)
                graph.Initializer.RemoveAt(k);
    }
}
