using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

// Rules for ops that change spatial extent: ConvTranspose, Resize/Upsample, Pad.
internal sealed partial class DependencyAnalysis
{
    /// <summary>
    /// ConvTranspose (FPN / U-Net upsampling): a layer with weights laid out [C_in, C_out/group, kH, kW], the
    /// transpose of Conv's, so input channels are weight axis 0 and output channels axis 1. Ungrouped, it is a
    /// <see cref="PrunableLayer"/> that reconstruction re-solves; a grouped one freezes its channels.
    /// </summary>
    private void ConvTranspose(NodeProto n)
    {
        var inTags = Tags(n.Input[0]);
        long group = Attr.Int(n, "group", 1);
        if (!ConstantWeights(n, out var w, out var b, out var xShape))
            return;
        if (inTags is not null && inTags.Where((t, i) => i != 1 && t is not null).Any())
            Freeze(inTags, "ConvTranspose over a tagged spatial axis");
        var inTag = inTags?[1];
        long cout = w.Dims[1] * group;
        if (group != 1)
        {
            if (inTag is not null) Freeze([inTag], $"grouped ConvTranspose with {group} groups");
            var frozen = NewSpace(cout, linear: false);
            SpaceOf(frozen).FrozenReason = $"output of a grouped ConvTranspose with {group} groups (at node '{_g.NodeName(_node)}')";
            return;
        }
        AddLayer(n, "ConvTranspose", w.Name, b?.Name, n.Input[0], n.Output[0]);
        if (inTag is { Kind: TagKind.Channel }) Use(w.Name, 0, inTag, true);
        else if (inTag is not null) Freeze([inTag], "ConvTranspose over heads");
        var s = NewSpace(cout, linear: false);
        var tag = AxisTag.Channel(s, cout);
        Use(w.Name, 1, tag, true);
        if (b is not null) Use(b.Name, 0, tag, false);
        Set(n.Output[0], OneTag(xShape.Length, 1, tag));
    }

    /// <summary>
    /// Resize / Upsample: channels pass through when only spatial axes are scaled. Sizes computed at run time (from
    /// the input's or another tensor's Shape, as torch writes <c>interpolate(size=…)</c>) follow the pruned width by
    /// themselves; constant sizes would not, so they freeze the channels.
    /// </summary>
    private void Resize(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int scalesInput = n.OpType == "Upsample" ? 1 : 2;
        // Upsample-7 keeps its scales in an attribute
        float[]? scales = n.OpType == "Upsample" && n.Input.Count == 1 ? n.Attribute.FirstOrDefault(a => a.Name == "scales")?.Floats.ToArray() : null;
        if (scales is null && n.Input.Count > scalesInput && n.Input[scalesInput].Length > 0)
        {
            if (_g.Initializer(n.Input[scalesInput]) is { } st) scales = TensorData.Floats(st).ToArray();
            else if (ConstantNodeValue(n.Input[scalesInput]) is { } cv) scales = cv;
        }
        bool sized = n.OpType == "Resize" && n.Input.Count > 3 && n.Input[3].Length > 0;
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] is null) continue;
            if (sized)
            {
                if (IsConstant(n.Input[3])) { Freeze(t, "Resize to constant sizes over channels"); return; }
                continue;
            }
            if (scales is null || i >= scales.Length || scales[i] != 1f)
            {
                Freeze(t, $"{n.OpType} that may scale a channel axis");
                return;
            }
        }
        Set(n.Output[0], t);
    }

    /// <summary>The float values of a Constant node's output, or null.</summary>
    private float[]? ConstantNodeValue(string tensor) =>
        _g.Producer(tensor) is var p && p >= 0 && _g.Node(p) is { OpType: "Constant" } c && c.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { } v }
            && v.DataType == ElementType.Float
            ? TensorData.Floats(v).ToArray()
            : null;

    /// <summary>Pad (DenseNet's transition pooling, Swin's window padding): channels pass through when no tagged axis is padded.</summary>
    private void Pad(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        // Only the pads of tagged axes must be known (zero): Swin computes its spatial pads from the input size.
        Dim[]? pads = n.Input.Count > 1 && n.Input[1].Length > 0
            ? (_shapes.TryGetValue(n.Input[1], out var pi) ? pi.Values : null)
            : Attr.Ints(n, "pads")?.Select(Dim.Of).ToArray();
        long[]? axes = n.Input.Count > 3 && n.Input[3].Length > 0 ? KnownInts(n, 3) : null;
        if (pads is null || (n.Input.Count > 3 && n.Input[3].Length > 0 && axes is null))
        {
            Freeze(t, "Pad with pads computed at run time");
            return;
        }
        // pads = [begin of each axis…, end of each axis…], over `axes` when given (opset 18), else every axis
        axes ??= Enumerable.Range(0, pads.Length / 2).Select(i => (long)i).ToArray();
        for (int i = 0; i < axes.Length && 2 * axes.Length == pads.Length; i++)
        {
            int a = NormAxis(axes[i], t.Length);
            if (a >= 0 && a < t.Length && t[a] is not null && (pads[i] != Dim.Of(0) || pads[i + axes.Length] != Dim.Of(0)))
            {
                Freeze(t, "Pad of a channel axis, or pads on it computed at run time");
                return;
            }
        }
        if (2 * axes.Length != pads.Length) { Freeze(t, "Pad with pads that do not match its axes"); return; }
        Set(n.Output[0], t);
    }
}
