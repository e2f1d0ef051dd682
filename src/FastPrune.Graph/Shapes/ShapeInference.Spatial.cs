namespace FastPrune.Graph;

public static partial class ShapeInference
{
    private static void Conv(InferContext c)
    {
        var x = c.Shape(0);
        var w = c.Shape(1);
        if (x.Length < 3 || w.Length != x.Length)
            throw c.Error($"Conv input rank {x.Length} and weight rank {w.Length} do not match");
        long group = Attr.Int(c.Node, "group", 1);
        if (group < 1) throw c.Error($"Conv group {group} is not positive");
        if (x[1].IsKnown && w[1].IsKnown && x[1].Value != w[1].Value * group)
            throw c.Error($"Conv input has {x[1]} channels but weight expects {w[1]}×{group} groups");
        if (w[0].IsKnown && w[0].Value % group != 0)
            throw c.Error($"Conv output channels {w[0]} are not divisible by group {group}");
        var kernel = Attr.Ints(c.Node, "kernel_shape") ?? w.Skip(2).Select(d => d.IsKnown ? d.Value : -1).ToArray();
        var outShape = new Dim[x.Length];
        outShape[0] = x[0];
        outShape[1] = w[0];
        SpatialOut(c, x, kernel, outShape, ceilMode: false);
        c.Out(0, new TensorInfo(c.In(0).ElemType, outShape));
    }

    private static void Pool(InferContext c)
    {
        var x = c.Shape(0);
        var kernel = Attr.Ints(c.Node, "kernel_shape") ?? throw c.Error($"{c.Node.OpType} without kernel_shape");
        var outShape = new Dim[x.Length];
        outShape[0] = x[0];
        outShape[1] = x[1];
        SpatialOut(c, x, kernel, outShape, Attr.Int(c.Node, "ceil_mode", 0) != 0);
        c.Out(0, new TensorInfo(c.In(0).ElemType, outShape));
        if (c.Node.Output.Count > 1)
            c.Out(1, new TensorInfo(ElementType.Int64, outShape));
    }

    /// <summary>
    /// Output spatial dims of Conv and pools:
    /// explicit pads: floor((in + pad_begin + pad_end − ((k−1)·d + 1)) / s) + 1 (ceil with ceil_mode);
    /// SAME_UPPER / SAME_LOWER: ceil(in / s); VALID: ceil((in − (k−1)·d) / s).
    /// </summary>
    private static void SpatialOut(InferContext c, Dim[] x, long[] kernel, Dim[] outShape, bool ceilMode)
    {
        int spatial = x.Length - 2;
        if (kernel.Length != spatial) throw c.Error($"kernel_shape has {kernel.Length} dims for {spatial} spatial dims");
        var strides = Attr.Ints(c.Node, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dil = Attr.Ints(c.Node, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = Attr.Ints(c.Node, "pads") ?? new long[2 * spatial];
        var autoPad = Attr.String(c.Node, "auto_pad", "NOTSET");
        if (strides.Length != spatial || dil.Length != spatial || pads.Length != 2 * spatial)
            throw c.Error("strides, dilations or pads do not match the spatial rank");
        for (int i = 0; i < spatial; i++)
        {
            var d = x[i + 2];
            if (strides[i] < 1 || dil[i] < 1 || pads[i] < 0 || pads[i + spatial] < 0)
                throw c.Error("strides and dilations must be positive and pads non-negative");
            if (!d.IsKnown || kernel[i] < 0) { outShape[i + 2] = Dim.Unknown; continue; }
            long eff = (kernel[i] - 1) * dil[i] + 1;
            long o = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => (d.Value + strides[i] - 1) / strides[i],
                "VALID" => (d.Value - eff + strides[i]) / strides[i],
                "NOTSET" => ceilMode
                    ? (d.Value + pads[i] + pads[i + spatial] - eff + strides[i] - 1) / strides[i] + 1
                    : (d.Value + pads[i] + pads[i + spatial] - eff) / strides[i] + 1,
                _ => throw c.Error($"unknown auto_pad '{autoPad}'"),
            };
            if (o < 1) throw c.Error($"spatial dim {d.Value} is smaller than the kernel's extent {eff}");
            outShape[i + 2] = Dim.Of(o);
        }
    }

    private static void GlobalPool(InferContext c)
    {
        var x = c.Shape(0);
        var s = x.Select((d, i) => i < 2 ? d : Dim.Of(1)).ToArray();
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
    }

    private static void Reduce(InferContext c)
    {
        var x = c.Shape(0);
        long[]? axes = c.Axes("axes", 1);
        bool keep = Attr.Int(c.Node, "keepdims", 1) != 0;
        var reduce = new bool[x.Length];
        if (axes is null || axes.Length == 0)
        {
            if (Attr.Int(c.Node, "noop_with_empty_axes", 0) != 0) { c.Out(0, c.In(0) with { Values = null }); return; }
            Array.Fill(reduce, true);
        }
        else
        {
            foreach (var a in axes) reduce[c.NormalizeAxis(a, x.Length)] = true;
        }
        var s = new List<Dim>();
        for (int i = 0; i < x.Length; i++)
            if (!reduce[i]) s.Add(x[i]);
            else if (keep) s.Add(Dim.Of(1));
        c.Out(0, new TensorInfo(c.In(0).ElemType, s.ToArray()));
    }

    private static void LayerNormalization(InferContext c)
    {
        var x = c.In(0);
        c.Out(0, x with { Values = null });
        if (x.Shape is { } s && c.Node.Output.Count > 1)
        {
            int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", -1), s.Length);
            var stat = s.Select((d, i) => i < axis ? d : Dim.Of(1)).ToArray();
            c.Out(1, new TensorInfo(ElementType.Float, stat));
            c.Out(2, new TensorInfo(ElementType.Float, stat));
        }
    }

    private static void Gemm(InferContext c)
    {
        var a = c.Shape(0);
        var b = c.Shape(1);
        if (a.Length != 2 || b.Length != 2) throw c.Error("Gemm needs 2-D inputs");
        bool ta = Attr.Int(c.Node, "transA", 0) != 0, tb = Attr.Int(c.Node, "transB", 0) != 0;
        var (m, k1) = ta ? (a[1], a[0]) : (a[0], a[1]);
        var (k2, n) = tb ? (b[1], b[0]) : (b[0], b[1]);
        if (k1.IsKnown && k2.IsKnown && k1.Value != k2.Value)
            throw c.Error($"Gemm inner dims {k1} and {k2} differ");
        c.Out(0, new TensorInfo(c.In(0).ElemType, [m, n]));
    }

    private static void MatMul(InferContext c)
    {
        var a = c.Shape(0);
        var b = c.Shape(1);
        if (a.Length == 0 || b.Length == 0) throw c.Error("MatMul of a scalar");
        var a2 = a.Length == 1 ? new[] { Dim.Of(1), a[0] } : a;
        var b2 = b.Length == 1 ? new[] { b[0], Dim.Of(1) } : b;
        var k1 = a2[^1];
        var k2 = b2[^2];
        if (k1.IsKnown && k2.IsKnown && k1.Value != k2.Value)
            throw c.Error($"MatMul inner dims {k1} and {k2} differ");
        var batch = BroadcastShapes(c, a2[..^2], b2[..^2])!;
        var s = new List<Dim>(batch);
        if (a.Length > 1) s.Add(a2[^2]);
        if (b.Length > 1) s.Add(b2[^1]);
        c.Out(0, new TensorInfo(c.In(0).ElemType, s.ToArray()));
    }

    private static void Flatten(InferContext c)
    {
        var x = c.Shape(0);
        int axis = (int)Attr.Int(c.Node, "axis", 1);
        if (axis < 0) axis += x.Length;
        if (axis < 0 || axis > x.Length) throw c.Error($"Flatten axis {axis} is out of range");
        var head = Dim.Of(1);
        var tail = Dim.Of(1);
        for (int i = 0; i < x.Length; i++)
            if (i < axis) head *= x[i]; else tail *= x[i];
        c.Out(0, new TensorInfo(c.In(0).ElemType, [head, tail]));
    }
}
