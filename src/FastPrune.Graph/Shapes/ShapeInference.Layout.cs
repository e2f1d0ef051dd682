using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

public static partial class ShapeInference
{
    private static void Reshape(InferContext c)
    {
        var x = c.In(0);
        var target = c.Node.Input.Count > 1 ? c.Values(1, "Reshape target shape") : (Attr.Ints(c.Node, "shape") ?? throw c.Error("Reshape without a shape")).Select(Dim.Of).ToArray();
        bool allowZero = Attr.Int(c.Node, "allowzero", 0) != 0;
        var outShape = new Dim[target.Length];
        int infer = -1;
        for (int i = 0; i < target.Length; i++)
        {
            var t = target[i];
            if (t.IsKnown && t.Value == 0 && !allowZero)
            {
                if (x.Shape is null || i >= x.Shape.Length) throw c.Error("Reshape copies a dim (0) the input does not have");
                outShape[i] = x.Shape[i];
            }
            else if (t.IsKnown && t.Value == -1)
            {
                if (infer >= 0) throw c.Error("Reshape target has more than one -1");
                infer = i;
            }
            else if (t.IsKnown && t.Value < -1) throw c.Error($"Reshape target dim {t.Value} is invalid");
            else outShape[i] = t;
        }
        if (infer >= 0)
        {
            var total = Product(x.Shape);
            var rest = Dim.Of(1);
            for (int i = 0; i < outShape.Length; i++)
                if (i != infer) rest *= outShape[i];
            outShape[infer] = total / rest;
            if (outShape[infer].IsKnown && total.IsKnown && rest.IsKnown && rest.Value * outShape[infer].Value != total.Value)
                throw c.Error($"Reshape of {total.Value} elements into [{string.Join(",", target)}] is not exact");
        }
        else if (x.Shape is not null)
        {
            var total = Product(x.Shape);
            var got = Product(outShape);
            if (total.IsKnown && got.IsKnown && total.Value != got.Value)
                throw c.Error($"Reshape of [{x.ShapeText}] ({total.Value} elements) into [{string.Join(",", outShape)}] ({got.Value})");
        }
        c.Out(0, new TensorInfo(x.ElemType, outShape, x.Values)); // row-major order is unchanged
    }

    private static Dim Product(Dim[]? shape)
    {
        if (shape is null) return Dim.Unknown;
        var p = Dim.Of(1);
        foreach (var d in shape) p *= d;
        return p;
    }

    private static void Transpose(InferContext c)
    {
        var x = c.Shape(0);
        var perm = Attr.Ints(c.Node, "perm") ?? Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != x.Length || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= x.Length))
            throw c.Error($"Transpose perm [{string.Join(",", perm)}] is not a permutation of rank {x.Length}");
        c.Out(0, new TensorInfo(c.In(0).ElemType, perm.Select(p => x[p]).ToArray(), TransposeValues(c.In(0).Values, x, perm)));
    }

    private static void Concat(InferContext c)
    {
        var first = c.In(0);
        var x0 = c.Shape(0);
        int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", 0), x0.Length);
        var s = (Dim[])x0.Clone();
        var values = new List<Dim>();
        bool trackValues = x0.Length == 1;
        for (int i = 0; i < c.Node.Input.Count; i++)
        {
            var t = c.In(i);
            var xi = c.Shape(i);
            if (xi.Length != x0.Length) throw c.Error("Concat inputs differ in rank");
            if (i > 0) s[axis] += xi[axis];
            if (trackValues && t.Values is not null) values.AddRange(t.Values);
            else trackValues = false;
        }
        c.Out(0, new TensorInfo(first.ElemType, s, trackValues ? values.ToArray() : null));
    }

    private static void Gather(InferContext c)
    {
        var data = c.In(0);
        var x = c.Shape(0);
        var idx = c.In(1);
        var idxShape = idx.Shape ?? throw c.Error("Gather indices of unknown rank");
        int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", 0), x.Length);
        var s = x.Take(axis).Concat(idxShape).Concat(x.Skip(axis + 1)).ToArray();
        Dim[]? values = null;
        if (data.Values is { } dv && x.Length == 1 && idx.Values is { } iv && iv.All(v => v.IsKnown))
        {
            values = new Dim[iv.Length];
            for (int i = 0; i < iv.Length; i++)
            {
                long k = iv[i].Value < 0 ? iv[i].Value + dv.Length : iv[i].Value;
                if (k < 0 || k >= dv.Length) throw c.Error($"Gather index {iv[i].Value} is out of range {dv.Length}");
                values[i] = dv[k];
            }
        }
        c.Out(0, new TensorInfo(data.ElemType, s, values));
    }

    private static void Slice(InferContext c)
    {
        var data = c.In(0);
        var x = c.Shape(0);
        long[] starts, ends;
        long[]? axes, steps = null;
        if (c.Opset < 10)
        {
            starts = Attr.Ints(c.Node, "starts") ?? throw c.Error("Slice without starts");
            ends = Attr.Ints(c.Node, "ends") ?? throw c.Error("Slice without ends");
            axes = Attr.Ints(c.Node, "axes");
        }
        else
        {
            starts = c.Ints(1, "Slice starts");
            ends = c.Ints(2, "Slice ends");
            axes = c.Has(3) ? c.Ints(3, "Slice axes") : null;
            steps = c.Has(4) ? c.Ints(4, "Slice steps") : null;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw c.Error("Slice starts, ends, axes and steps differ in length");
        var s = (Dim[])x.Clone();
        var ranges = new (long Start, long Step, long Count)?[x.Length];
        for (int i = 0; i < starts.Length; i++)
        {
            int a = c.NormalizeAxis(axes[i], x.Length);
            if (steps[i] == 0) throw c.Error("Slice step is 0");
            if (!x[a].IsKnown) { s[a] = Dim.Unknown; continue; }
            long n = x[a].Value, step = steps[i];
            long st = Clamp(starts[i] < 0 ? starts[i] + n : starts[i], step > 0 ? 0 : -1, step > 0 ? n : n - 1);
            long en = Clamp(ends[i] < 0 ? ends[i] + n : ends[i], step > 0 ? 0 : -1, step > 0 ? n : n - 1);
            long count = step > 0 ? Math.Max(0, (en - st + step - 1) / step) : Math.Max(0, (st - en + (-step) - 1) / -step);
            s[a] = Dim.Of(count);
            ranges[a] = (st, step, count);
        }
        Dim[]? values = null;
        if (data.Values is { } dv)
            values = SliceValues(dv, x, ranges);
        c.Out(0, new TensorInfo(data.ElemType, s, values));
    }

    private static long Clamp(long v, long lo, long hi) => Math.Min(Math.Max(v, lo), hi);

    private static void Squeeze(InferContext c)
    {
        var data = c.In(0);
        var x = c.Shape(0);
        var axes = c.Axes("axes", 1);
        var drop = new bool[x.Length];
        if (axes is null)
        {
            for (int i = 0; i < x.Length; i++)
            {
                if (!x[i].IsKnown) throw c.Error("Squeeze without axes on an input of unknown dims");
                drop[i] = x[i].Value == 1;
            }
        }
        else
        {
            foreach (var a in axes)
            {
                int k = c.NormalizeAxis(a, x.Length);
                if (x[k].IsKnown && x[k].Value != 1) throw c.Error($"Squeeze of axis {a} whose size is {x[k].Value}");
                drop[k] = true;
            }
        }
        c.Out(0, new TensorInfo(data.ElemType, x.Where((_, i) => !drop[i]).ToArray(), data.Values));
    }

    private static void Unsqueeze(InferContext c)
    {
        var data = c.In(0);
        var x = c.Shape(0);
        var axes = c.Axes("axes", 1) ?? throw c.Error("Unsqueeze without axes");
        int rank = x.Length + axes.Length;
        var insert = new bool[rank];
        foreach (var a in axes)
        {
            int k = c.NormalizeAxis(a, rank);
            if (insert[k]) throw c.Error($"Unsqueeze axis {a} repeated");
            insert[k] = true;
        }
        var s = new Dim[rank];
        for (int i = 0, j = 0; i < rank; i++)
            s[i] = insert[i] ? Dim.Of(1) : x[j++];
        c.Out(0, new TensorInfo(data.ElemType, s, data.Values));
    }

    private static void Shape(InferContext c)
    {
        var x = c.Shape(0);
        long start = Attr.Int(c.Node, "start", 0), end = Attr.Int(c.Node, "end", x.Length);
        if (start < 0) start += x.Length;
        if (end < 0) end += x.Length;
        start = Clamp(start, 0, x.Length);
        end = Clamp(end, 0, x.Length);
        var values = x[(int)start..(int)Math.Max(start, end)];
        c.Out(0, new TensorInfo(ElementType.Int64, [Dim.Of(values.Length)], values));
    }

    private static void Expand(InferContext c)
    {
        var x = c.In(0);
        var target = c.Values(1, "Expand shape");
        c.Out(0, new TensorInfo(x.ElemType, BroadcastShapes(c, x.Shape, target)));
    }

    private static void ConstantOfShape(InferContext c)
    {
        var shape = c.Values(0, "ConstantOfShape shape");
        var value = Attr.Find(c.Node, "value")?.T;
        int type = value?.DataType ?? ElementType.Float;
        Dim[]? values = null;
        if (value is not null && type is ElementType.Int64 or ElementType.Int32 && shape.Length == 1 && shape[0].IsKnown
            && shape[0].Value <= TensorInfo.MaxTrackedValues)
        {
            var v = TensorData.Integers(value);
            if (v.Length == 1) values = Enumerable.Repeat(Dim.Of(v[0]), (int)shape[0].Value).ToArray();
        }
        c.Out(0, new TensorInfo(type, shape, values));
    }

    private static void Constant(InferContext c)
    {
        var a = c.Node.Attribute.FirstOrDefault() ?? throw c.Error("Constant without a value");
        TensorInfo info = a.Name switch
        {
            "value" when a.T is not null => FromInitializer(a.T),
            "value_float" => new TensorInfo(ElementType.Float, []),
            "value_floats" => new TensorInfo(ElementType.Float, [Dim.Of(a.Floats.Count)]),
            "value_int" => new TensorInfo(ElementType.Int64, [], [Dim.Of(a.I)]),
            "value_ints" => new TensorInfo(ElementType.Int64, [Dim.Of(a.Ints.Count)], a.Ints.Select(Dim.Of).ToArray()),
            _ => throw c.Error($"Constant attribute '{a.Name}' is not supported"),
        };
        c.Out(0, info);
    }

    private static void Split(InferContext c)
    {
        var x = c.Shape(0);
        int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", 0), x.Length);
        int outputs = c.Node.Output.Count;
        long[]? split = Attr.Ints(c.Node, "split") ?? (c.Has(1) ? c.Ints(1, "Split sizes") : null);
        for (int o = 0; o < outputs; o++)
        {
            var s = (Dim[])x.Clone();
            if (split is not null)
            {
                if (split.Length != outputs) throw c.Error($"Split has {split.Length} sizes for {outputs} outputs");
                s[axis] = Dim.Of(split[o]);
            }
            else if (x[axis].IsKnown)
            {
                long chunk = (x[axis].Value + outputs - 1) / outputs;
                s[axis] = Dim.Of(Math.Min(chunk, x[axis].Value - chunk * o));
            }
            else s[axis] = Dim.Unknown;
            c.Out(o, new TensorInfo(c.In(0).ElemType, s));
        }
    }
}
