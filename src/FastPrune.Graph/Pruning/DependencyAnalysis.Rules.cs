using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

internal sealed partial class DependencyAnalysis
{
    private static readonly HashSet<string> Unary = new(StringComparer.Ordinal)
    {
        "Relu", "Clip", "Erf", "Sigmoid", "Tanh", "Sqrt", "Neg", "Exp", "Log", "Abs", "HardSigmoid", "HardSwish",
        "LeakyRelu", "Gelu", "Reciprocal", "Floor", "Ceil", "Dropout", "Identity", "Cast",
        "Mish", "Softplus", "Softsign", "Elu", "Selu", "Celu", "ThresholdedRelu", "Shrink", "Sin", "Cos", "Round", "Sign",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
    };

    private static readonly HashSet<string> Binary = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Where" };

    /// <summary>Ops that only compute shapes or constants: nothing they output carries channels.</summary>
    private static readonly HashSet<string> ShapeOnly = new(StringComparer.Ordinal) { "Shape", "Constant", "ConstantOfShape", "Equal" };

    private void Apply(NodeProto n)
    {
        // Another domain's op (com.microsoft.Gelu, FusedConv, …) may share a standard name, never its semantics.
        if (n.Domain is { Length: > 0 } and not "ai.onnx")
        {
            FreezeInputs(n, $"op '{n.Domain}.{n.OpType}' has no channel rule");
            return;
        }
        switch (n.OpType)
        {
            case "Conv": Conv(n); return;
            case "Gemm": Gemm(n); return;
            case "MatMul": MatMul(n); return;
            case "BatchNormalization": BatchNorm(n); return;
            case "Reshape": Reshape(n); return;
            case "Flatten": Flatten(n); return;
            case "Transpose": Transpose(n); return;
            case "Concat": Concat(n); return;
            case "Gather": Gather(n); return;
            case "Squeeze": case "Unsqueeze": SqueezeLike(n); return;
            case "Softmax": case "LogSoftmax": case "LayerNormalization": case "InstanceNormalization": Normalize(n); return;
            case "Expand": Expand(n); return;
            case "Slice": Slice(n); return;
            case "Split": Split(n); return;
            case "ConvTranspose": ConvTranspose(n); return;
            case "Resize": case "Upsample": Resize(n); return;
            case "Pad": Pad(n); return;
        }
        if (n.OpType.StartsWith("Reduce", StringComparison.Ordinal)) { Reduce(n); return; }
        if (Unary.Contains(n.OpType))
        {
            // pools keep N and C, unary ops keep everything
            var t = Tags(n.Input[0]);
            if (t is not null && n.OpType.EndsWith("Pool", StringComparison.Ordinal) && t.Where((x, i) => i != 1 && x is not null).Any())
                Freeze(t, $"{n.OpType} over a tagged spatial axis");
            Set(n.Output[0], t);
            return;
        }
        if (Binary.Contains(n.OpType)) { Elementwise(n); return; }
        if (ShapeOnly.Contains(n.OpType))
        {
            if (n.OpType == "Equal") FreezeInputs(n, "Equal over channels");
            return;
        }
        FreezeInputs(n, $"op '{n.OpType}' has no channel rule");
    }

    private void BatchNorm(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        var tag = t?[1];
        if (tag is { Kind: TagKind.Channel })
        {
            for (int i = 1; i < Math.Min(5, n.Input.Count); i++)
            {
                if (_g.Initializer(n.Input[i]) is { } p) Use(p.Name, 0, tag, false);
                else Freeze([tag], "BatchNormalization with parameters computed at run time");
            }
        }
        Set(n.Output[0], t);
    }

    /// <summary>Element-wise ops: tagged operands on the same axis join their spaces (a residual add);
    /// a constant operand with one value per channel is sliced with them.</summary>
    private void Elementwise(NodeProto n)
    {
        var outShape = Shape(n.Output[0]);
        if (outShape is null)
        {
            FreezeInputs(n, $"{n.OpType} of unknown rank");
            return;
        }
        int rank = outShape.Length;
        var outTags = new AxisTag?[rank];
        int first = n.OpType == "Where" ? 1 : 0;
        for (int k = 0; k < n.Input.Count; k++)
        {
            var input = n.Input[k];
            var inShape = Shape(input);
            var t = Tags(input);
            if (inShape is null) { if (t is not null) Freeze(t, "operand of unknown rank"); continue; }
            int shift = rank - inShape.Length;
            if (k < first) { if (t is not null) Freeze(t, "Where condition over channels"); continue; }
            for (int i = 0; i < inShape.Length; i++)
            {
                var ti = t?[i];
                if (ti is null) continue;
                var o = outTags[i + shift];
                if (o is null) outTags[i + shift] = ti;
                else Join(o, ti);
            }
        }
        // constants and untagged activations on tagged axes
        for (int k = first; k < n.Input.Count; k++)
        {
            var input = n.Input[k];
            var inShape = Shape(input);
            if (inShape is null || Tags(input) is not null) continue;
            int shift = rank - inShape.Length;
            for (int i = 0; i < inShape.Length; i++)
            {
                var o = outTags[i + shift];
                if (o is null || (inShape[i].IsKnown && inShape[i].Value == 1)) continue;
                if (_g.Initializer(input) is { } c && o.Kind == TagKind.Channel) Use(c.Name, i, o, false);
                else if (_g.Initializer(input) is { } h && o.Kind == TagKind.Heads && PerHeadConstant(h, i, o.Space)) continue;
                else Freeze([o], IsConstant(input) ? "per-channel constant that is not an initializer" : "joined with an untagged activation");
            }
        }
        Set(n.Output[0], outTags);
    }

    /// <summary>
    /// A constant with one entry per attention head on the heads axis (Swin's relative position bias, which torch.onnx
    /// folds into a <c>[1, heads, N, N]</c> initializer added to the scores) is sliced with the kept heads.
    /// </summary>
    private bool PerHeadConstant(TensorProto c, int axis, int space)
    {
        var sp = SpaceOf(space);
        if (!sp.IsHeads || sp.Grouped || c.Dims[axis] != sp.Heads) return false;
        _usages.Add(new SliceUsage(c.Name, axis, space, 0, sp.Heads, 1, false, PerUnit: true));
        return true;
    }

    private void Join(AxisTag a, AxisTag b)
    {
        if (a.Kind != b.Kind) { Freeze([a, b], "element-wise join of different axis kinds"); return; }
        if (a.Kind != TagKind.Channel) { Union(a.Space, b.Space, "element-wise join"); return; }
        if (a.Segments!.Length != b.Segments!.Length || a.Segments.Zip(b.Segments).Any(p => p.First.Length != p.Second.Length || p.First.Inner != p.Second.Inner))
        {
            Freeze([a, b], "element-wise join of differently concatenated channels");
            return;
        }
        foreach (var (x, y) in a.Segments.Zip(b.Segments)) Union(x.Space, y.Space, "residual join");
    }

    private void Normalize(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int rank = t.Length;
        if (n.OpType == "LayerNormalization" && ChannelLayerNorm(n, t)) return;
        IEnumerable<int> axes = n.OpType switch
        {
            "LayerNormalization" => Enumerable.Range(NormAxis(Attr.Int(n, "axis", -1), rank), rank - NormAxis(Attr.Int(n, "axis", -1), rank)),
            "InstanceNormalization" => [1],
            _ => [NormAxis(Attr.Int(n, "axis", -1), rank)],
        };
        foreach (var a in axes)
            if (a >= 0 && a < rank && t[a] is { } tag && tag.Kind is TagKind.Channel or TagKind.Heads or TagKind.BatchHeads or TagKind.Block)
                Freeze([tag], $"{n.OpType} normalises over channels");
        Set(n.Output[0], t);
    }

    /// <summary>
    /// LayerNormalization over one channel axis with constant scale and bias (ConvNeXt's channel-last LayerNorm, any
    /// LayerNorm'd residual stream that nothing else freezes): the channels prune and scale and bias are sliced with
    /// them. The statistics are then taken over the kept channels, as in a model trained at that width (Torch-Pruning's
    /// rule); reconstruction re-fits the layers after it. Mean and variance over several axes stay frozen.
    /// </summary>
    private bool ChannelLayerNorm(NodeProto n, AxisTag?[] t)
    {
        int rank = t.Length, axis = NormAxis(Attr.Int(n, "axis", -1), rank);
        if (axis != rank - 1 || t[axis] is not { Kind: TagKind.Channel } tag) return false;
        var scale = _g.Initializer(n.Input[1]);
        var bias = n.Input.Count > 2 && n.Input[2].Length > 0 ? _g.Initializer(n.Input[2]) : null;
        if (scale is not { Dims.Count: 1 } || scale.Dims[0] != tag.Extent || (n.Input.Count > 2 && n.Input[2].Length > 0 && bias is not { Dims.Count: 1 }))
            return false;
        Use(scale.Name, 0, tag, false);
        if (bias is not null) Use(bias.Name, 0, tag, false);
        Set(n.Output[0], t);
        return true;
    }

    private void Reduce(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int rank = t.Length;
        long[]? axes = Attr.Ints(n, "axes");
        if (axes is null && n.Input.Count > 1 && n.Input[1].Length > 0 && _shapes.TryGetValue(n.Input[1], out var ai) && ai.Values is { } v && v.All(d => d.IsKnown))
            axes = v.Select(d => d.Value).ToArray();
        var reduced = axes is null || axes.Length == 0 ? Enumerable.Range(0, rank).ToHashSet() : axes.Select(a => NormAxis(a, rank)).ToHashSet();
        bool keep = Attr.Int(n, "keepdims", 1) != 0;
        var outTags = new List<AxisTag?>();
        for (int i = 0; i < rank; i++)
        {
            if (reduced.Contains(i))
            {
                if (t[i] is { } tag && tag.Kind != TagKind.HeadDim) Freeze([tag], $"{n.OpType} reduces over channels");
                if (keep) outTags.Add(null);
            }
            else outTags.Add(t[i]);
        }
        Set(n.Output[0], outTags.ToArray());
    }

    private static int NormAxis(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);
}
