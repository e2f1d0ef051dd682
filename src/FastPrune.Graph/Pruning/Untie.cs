using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Prepares a graph for surgery by giving every floating-point initializer use its own tensor:
/// torch.onnx deduplicates equal initializers (e.g. the zero biases of BN-folded convs) and routes
/// them through Identity nodes, which would otherwise tie unrelated channel groups together.
/// The copies share their bytes with the original (protobuf ByteStrings are immutable), so this
/// costs no memory; outputs are unchanged.
/// </summary>
internal static class Untie
{
    public static ModelProto Apply(ModelProto model)
    {
        var proto = model.Clone();
        var graph = proto.Graph;
        var inits = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var names = new HashSet<string>(inits.Keys, StringComparer.Ordinal);
        foreach (var n in graph.Node) foreach (var o in n.Output) names.Add(o);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        // Identity(initializer) → an initializer under the Identity's output name.
        var identitySources = new HashSet<string>(StringComparer.Ordinal);
        for (int k = graph.Node.Count - 1; k >= 0; k--)
        {
            var n = graph.Node[k];
            if (n.OpType != "Identity" || n.Input.Count != 1 || !inits.TryGetValue(n.Input[0], out var src) || outputs.Contains(n.Output[0]))
                continue;
            var copy = src.Clone();
            copy.Name = n.Output[0];
            graph.Initializer.Add(copy);
            inits[copy.Name] = copy;
            identitySources.Add(src.Name);
            graph.Node.RemoveAt(k);
        }

        // A float initializer read by several node inputs: one copy per extra use.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            for (int i = 0; i < n.Input.Count; i++)
            {
                var name = n.Input[i];
                if (!inits.TryGetValue(name, out var t) || !ElementType.IsFloating(t.DataType)) continue;
                if (seen.Add(name)) continue;
                var fresh = name;
                for (int c = 1; !names.Add(fresh); c++) fresh = $"{name}__{c}";
                var copy = t.Clone();
                copy.Name = fresh;
                graph.Initializer.Add(copy);
                n.Input[i] = fresh;
            }
        }
        // Drop the sources of removed Identity nodes that nothing reads any more.
        var used = graph.Node.SelectMany(n => n.Input).Concat(outputs).Concat(graph.Input.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        for (int k = graph.Initializer.Count - 1; k >= 0; k--)
            if (identitySources.Contains(graph.Initializer[k].Name) && !used.Contains(graph.Initializer[k].Name))
                graph.Initializer.RemoveAt(k);
        return proto;
    }
}
