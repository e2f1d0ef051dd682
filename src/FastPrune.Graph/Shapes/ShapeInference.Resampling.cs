namespace FastPrune.Graph;

public static partial class ShapeInference
{
    /// <summary>Pad: out[i] = in[i] + begin[i] + end[i]; amounts from the attribute (opset &lt; 11) or input 1, over input 3's axes (opset 18).</summary>
    private static void Pad(InferContext c)
    {
        var x = c.Shape(0);
        long[] pads = c.Opset < 11
            ? Attr.Ints(c.Node, "pads") ?? Attr.Ints(c.Node, "paddings") ?? throw c.Error("Pad without pads")
            : c.Ints(1, "Pad amounts");
        long[] axes = c.Has(3) ? c.Ints(3, "Pad axes") : Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
        if (pads.Length != 2 * axes.Length)
            throw c.Error($"Pad has {pads.Length} amounts for {axes.Length} axes");
        var s = (Dim[])x.Clone();
        for (int k = 0; k < axes.Length; k++)
        {
            int a = c.NormalizeAxis(axes[k], x.Length);
            s[a] = s[a] + Dim.Of(pads[k] + pads[k + axes.Length]);
            if (s[a].IsKnown && s[a].Value < 0) throw c.Error($"Pad crops axis {a} below zero");
        }
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
    }

    /// <summary>
    /// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18: over <c>axes</c>) and Upsample (scales as
    /// attribute before opset 9, input 1 after): sizes when given, else floor(in · scale).
    /// </summary>
    private static void Resize(InferContext c)
    {
        var x = c.Shape(0);
        bool upsample = c.Node.OpType == "Upsample";
        int scalesInput = upsample || c.Opset < 11 ? 1 : 2;
        long[] axes = Attr.Ints(c.Node, "axes") ?? Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
        var s = (Dim[])x.Clone();
        if (!upsample && c.Opset >= 11 && !c.AbsentOrEmpty(3))
        {
            var sizes = c.Values(3, "Resize sizes");
            if (sizes.Length != axes.Length) throw c.Error($"Resize has {sizes.Length} sizes for {axes.Length} axes");
            if (Attr.String(c.Node, "keep_aspect_ratio_policy", "stretch") != "stretch")
                throw new UninferableException("Resize keeps the aspect ratio", c.Label);
            for (int k = 0; k < axes.Length; k++) s[c.NormalizeAxis(axes[k], x.Length)] = sizes[k];
        }
        else
        {
            float[] scales = upsample && c.Opset < 9
                ? Attr.Find(c.Node, "scales")?.Floats.ToArray() ?? throw c.Error("Upsample without scales")
                : c.ConstantFloats(scalesInput, $"{c.Node.OpType} scales");
            if (scales.Length != axes.Length) throw c.Error($"{c.Node.OpType} has {scales.Length} scales for {axes.Length} axes");
            for (int k = 0; k < axes.Length; k++)
            {
                int a = c.NormalizeAxis(axes[k], x.Length);
                if (scales[k] <= 0) throw c.Error($"{c.Node.OpType} scale {scales[k]} is not positive");
                if (scales[k] == 1f) continue;
                // The spec's floor(in · scale), in float32 as ONNX Runtime computes it.
                s[a] = x[a].IsKnown ? Dim.Of((long)MathF.Floor(scales[k] * x[a].Value)) : Dim.Unknown;
            }
        }
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
    }

    /// <summary>
    /// ConvTranspose: C_out = W[1]·group; spatial out = stride·(in − 1) + output_padding + (k − 1)·dilation + 1 −
    /// pad_begin − pad_end, or the output_shape attribute, or in·stride for SAME_UPPER/SAME_LOWER.
    /// </summary>
    private static void ConvTranspose(InferContext c)
    {
        var x = c.Shape(0);
        var w = c.Shape(1);
        if (x.Length < 3 || w.Length != x.Length)
            throw c.Error($"ConvTranspose input rank {x.Length} and weight rank {w.Length} do not match");
        long group = Attr.Int(c.Node, "group", 1);
        if (group < 1) throw c.Error($"ConvTranspose group {group} is not positive");
        if (x[1].IsKnown && w[0].IsKnown && x[1].Value != w[0].Value)
            throw c.Error($"ConvTranspose input has {x[1]} channels but weight expects {w[0]}");
        int spatial = x.Length - 2;
        var kernel = Attr.Ints(c.Node, "kernel_shape") ?? w.Skip(2).Select(d => d.IsKnown ? d.Value : -1).ToArray();
        var strides = Attr.Ints(c.Node, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dil = Attr.Ints(c.Node, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = Attr.Ints(c.Node, "pads") ?? new long[2 * spatial];
        var outPad = Attr.Ints(c.Node, "output_padding") ?? new long[spatial];
        var outputShape = Attr.Ints(c.Node, "output_shape");
        var autoPad = Attr.String(c.Node, "auto_pad", "NOTSET");
        if (kernel.Length != spatial || strides.Length != spatial || dil.Length != spatial || pads.Length != 2 * spatial || outPad.Length != spatial)
            throw c.Error("kernel_shape, strides, dilations, pads or output_padding do not match the spatial rank");
        var s = new Dim[x.Length];
        s[0] = x[0];
        s[1] = w[1] * Dim.Of(group);
        for (int i = 0; i < spatial; i++)
        {
            var d = x[i + 2];
            if (outputShape is not null)
            {
                s[i + 2] = Dim.Of(outputShape[outputShape.Length - spatial + i]);
                continue;
            }
            if (!d.IsKnown || kernel[i] < 0) { s[i + 2] = Dim.Unknown; continue; }
            long o = autoPad is "SAME_UPPER" or "SAME_LOWER"
                ? d.Value * strides[i]
                : strides[i] * (d.Value - 1) + outPad[i] + (kernel[i] - 1) * dil[i] + 1 - (autoPad == "VALID" ? 0 : pads[i] + pads[i + spatial]);
            if (o < 1) throw c.Error($"ConvTranspose output dim {o} is not positive");
            s[i + 2] = Dim.Of(o);
        }
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
    }

    /// <summary>DepthToSpace [N, C/b², H·b, W·b] and SpaceToDepth [N, C·b², H/b, W/b].</summary>
    private static void DepthSpace(InferContext c)
    {
        var x = c.Shape(0);
        if (x.Length != 4) throw c.Error($"{c.Node.OpType} needs a rank-4 input, not rank {x.Length}");
        long b = Attr.Int(c.Node, "blocksize", 0);
        if (b < 1) throw c.Error($"{c.Node.OpType} blocksize {b} is not positive");
        var bb = Dim.Of(b);
        var s = c.Node.OpType == "DepthToSpace"
            ? new[] { x[0], x[1] / Dim.Of(b * b), x[2] * bb, x[3] * bb }
            : [x[0], x[1] * Dim.Of(b * b), x[2] / bb, x[3] / bb];
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
    }

    /// <summary>GridSample: [N, C] of the input, the output grid's spatial dims ([N, H_out, W_out, 2]).</summary>
    private static void GridSample(InferContext c)
    {
        var x = c.Shape(0);
        var g = c.Shape(1);
        if (g.Length != x.Length) throw c.Error("GridSample grid and input differ in rank");
        c.Out(0, new TensorInfo(c.In(0).ElemType, [x[0], x[1], .. g[1..^1]]));
    }
}
