using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Folds every BatchNormalization that directly follows a Conv (and is that conv's only reader)
/// into the conv's weight and bias: W' = W·s, b' = (b − mean)·s + beta with s = gamma / √(var + ε),
/// per output channel, in float64. Older exporters leave BN unfused; folding removes a node per conv.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>A new model with the foldable BatchNormalizations folded; the input is not changed.</summary>
    /// <exception cref="ModelFormatException">A BN parameter has the wrong size.</exception>
    public static OnnxModel Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = model.Proto.Clone();
        var g = proto.Graph;
        var index = new GraphIndex(g);
        var inits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < g.Initializer.Count; i++) inits[g.Initializer[i].Name] = i;
        var remove = new HashSet<int>();
        var names = new HashSet<string>(inits.Keys, StringComparer.Ordinal);
        foreach (int n in index.Order)
        {
            var bn = g.Node[n];
            if (bn.OpType != "BatchNormalization" || bn.Output.Count(o => o.Length > 0) != 1 || bn.Input.Count < 5) continue;
            int p = index.Producer(bn.Input[0]);
            if (p < 0 || g.Node[p].OpType != "Conv" || index.Consumers(bn.Input[0]).Count != 1 || index.Outputs.Contains(bn.Input[0])) continue;
            var conv = g.Node[p];
            if (!inits.TryGetValue(conv.Input[1], out var wi) || bn.Input.Skip(1).Take(4).Any(x => !inits.ContainsKey(x))) continue;
            var w = g.Initializer[wi];
            if (w.DataType != ElementType.Float) continue;
            int cout = (int)w.Dims[0];
            var prm = bn.Input.Skip(1).Take(4).Select(x => TensorData.Floats(g.Initializer[inits[x]]).ToArray()).ToArray();
            if (prm.Any(a => a.Length != cout))
                throw new ModelFormatException($"BatchNormalization parameters do not have {cout} channels", node: bn.Name);
            double eps = Attr.Float(bn, "epsilon", 1e-5f);
            var weights = TensorData.Floats(w).ToArray();
            int per = weights.Length / cout;
            float[] bias = conv.Input.Count > 2 && conv.Input[2].Length > 0 && inits.TryGetValue(conv.Input[2], out var bi)
                ? TensorData.Floats(g.Initializer[bi]).ToArray() : new float[cout];
            for (int o = 0; o < cout; o++)
            {
                double s = prm[0][o] / Math.Sqrt(prm[3][o] + eps);
                for (int k = 0; k < per; k++) weights[o * per + k] = (float)(weights[o * per + k] * s);
                bias[o] = (float)((bias[o] - prm[2][o]) * s + prm[1][o]);
            }
            // New tensors under new names: the originals may be shared with other nodes.
            string wName = Fresh(names, w.Name + "_bnfold"), bName = Fresh(names, (conv.Input.Count > 2 && conv.Input[2].Length > 0 ? conv.Input[2] : conv.Name) + "_bnfold_bias");
            g.Initializer.Add(TensorData.FromFloats(wName, w.Dims.ToArray(), weights));
            g.Initializer.Add(TensorData.FromFloats(bName, [cout], bias));
            conv.Input[1] = wName;
            if (conv.Input.Count > 2) conv.Input[2] = bName; else conv.Input.Add(bName);
            conv.Output[0] = bn.Output[0];
            remove.Add(n);
        }
        foreach (var n in remove.OrderDescending()) g.Node.RemoveAt(n);
        var used = g.Node.SelectMany(x => x.Input).Concat(g.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var inputs = g.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        for (int i = g.Initializer.Count - 1; i >= 0; i--)
            if (!used.Contains(g.Initializer[i].Name) && model.Proto.Graph.Node.Any(x => x.Input.Contains(g.Initializer[i].Name)))
            {
                // an initializer only the folded nodes read; drop it and its graph-input entry (older exporters list both)
                if (inputs.Contains(g.Initializer[i].Name))
                    for (int k = g.Input.Count - 1; k >= 0; k--) if (g.Input[k].Name == g.Initializer[i].Name) g.Input.RemoveAt(k);
                g.Initializer.RemoveAt(i);
            }
        return OnnxModel.FromProto(proto, model.SourcePath, model.ShapeOptions);
    }

    private static string Fresh(HashSet<string> names, string name)
    {
        var n = name;
        for (int i = 1; !names.Add(n); i++) n = $"{name}_{i}";
        return n;
    }
}
