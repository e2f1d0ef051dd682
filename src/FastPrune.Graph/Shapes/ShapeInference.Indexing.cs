namespace FastPrune.Graph;

public static partial class ShapeInference
{
    /// <summary>Tile: out[i] = in[i] · repeats[i].</summary>
    private static void Tile(InferContext c)
    {
        var x = c.Shape(0);
        var repeats = c.Ints(1, "Tile repeats");
        if (repeats.Length != x.Length) throw c.Error($"Tile has {repeats.Length} repeats for rank {x.Length}");
        c.Out(0, new TensorInfo(c.In(0).ElemType, x.Select((d, i) => d * Dim.Of(repeats[i])).ToArray()));
    }

    /// <summary>GatherElements: the output has the indices' shape.</summary>
    private static void GatherElements(InferContext c) =>
        c.Out(0, new TensorInfo(c.In(0).ElemType, c.Shape(1)));

    /// <summary>Range: max(ceil((limit − start) / delta), 0) elements; integer values are tracked (e.g. torch.arange over a shape).</summary>
    private static void Range(InferContext c)
    {
        var type = c.In(0).ElemType;
        if (type is ElementType.Int64 or ElementType.Int32)
        {
            long start = c.Ints(0, "Range start")[0], limit = c.Ints(1, "Range limit")[0], delta = c.Ints(2, "Range delta")[0];
            if (delta == 0) throw c.Error("Range delta is 0");
            long n = Math.Max(0, (limit - start + delta + (delta > 0 ? -1 : 1)) / delta);
            Dim[]? values = n <= TensorInfo.MaxTrackedValues ? Enumerable.Range(0, (int)n).Select(k => Dim.Of(start + k * delta)).ToArray() : null;
            c.Out(0, new TensorInfo(type, [Dim.Of(n)], values));
            return;
        }
        double fs = c.ConstantFloats(0, "Range start").Single(), fl = c.ConstantFloats(1, "Range limit").Single(), fd = c.ConstantFloats(2, "Range delta").Single();
        if (fd == 0) throw c.Error("Range delta is 0");
        c.Out(0, new TensorInfo(type, [Dim.Of((long)Math.Max(0, Math.Ceiling((fl - fs) / fd)))]));
    }

    /// <summary>TopK: the input with the axis cut to k; values and int64 indices.</summary>
    private static void TopK(InferContext c)
    {
        var x = c.Shape(0);
        int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", -1), x.Length);
        long k = c.Opset < 10 ? Attr.Int(c.Node, "k", -1) : c.Ints(1, "TopK k").Single();
        if (k < 0) throw c.Error($"TopK k {k} is negative");
        var s = (Dim[])x.Clone();
        s[axis] = Dim.Of(k);
        c.Out(0, new TensorInfo(c.In(0).ElemType, s));
        c.Out(1, new TensorInfo(ElementType.Int64, s));
    }

    /// <summary>ArgMax / ArgMin: the axis reduced (kept as 1 with keepdims), int64.</summary>
    private static void ArgReduce(InferContext c)
    {
        var x = c.Shape(0);
        int axis = c.NormalizeAxis(Attr.Int(c.Node, "axis", 0), x.Length);
        bool keep = Attr.Int(c.Node, "keepdims", 1) != 0;
        var s = x.Select((d, i) => i == axis ? (keep ? Dim.Of(1) : (Dim?)null) : d).Where(d => d is not null).Select(d => d!.Value).ToArray();
        c.Out(0, new TensorInfo(ElementType.Int64, s));
    }

    /// <summary>Size: the element count as an int64 scalar, tracked as a value.</summary>
    private static void Size(InferContext c) =>
        c.Out(0, new TensorInfo(ElementType.Int64, [], [Product(c.Shape(0))]));

    /// <summary>
    /// Einsum: each output letter takes the size its operands give it (a known size over a broadcast 1);
    /// "..." stands for the broadcast of the operands' leading extra dims; without "->" the output is the
    /// ellipsis, then the letters used once, in alphabetical order.
    /// </summary>
    private static void Einsum(InferContext c)
    {
        string eq = Attr.String(c.Node, "equation", "").Replace(" ", "", StringComparison.Ordinal);
        var sides = eq.Split("->");
        var terms = sides[0].Split(',');
        if (terms.Length != c.Node.Input.Count) throw c.Error($"Einsum equation '{eq}' has {terms.Length} operands for {c.Node.Input.Count} inputs");
        var letters = new Dictionary<char, Dim>();
        var counts = new Dictionary<char, int>();
        Dim[]? ellipsis = [];
        for (int t = 0; t < terms.Length; t++)
        {
            var x = c.Shape(t);
            string term = terms[t];
            int dots = term.IndexOf("...", StringComparison.Ordinal);
            string named = term.Replace("...", "", StringComparison.Ordinal);
            int extra = x.Length - named.Length;
            if (extra < 0 || (extra > 0 && dots < 0)) throw c.Error($"Einsum operand {t} '{term}' does not match rank {x.Length}");
            int di = 0;
            for (int i = 0; i < term.Length; i++)
            {
                if (i == dots)
                {
                    ellipsis = BroadcastShapes(c, ellipsis, x[di..(di + extra)]);
                    di += extra;
                    i += 2;
                    continue;
                }
                char ch = term[i];
                counts[ch] = counts.GetValueOrDefault(ch) + 1;
                var d = x[di++];
                letters[ch] = !letters.TryGetValue(ch, out var prev) || prev.IsUnknown || (prev.IsKnown && prev.Value == 1) ? d : prev;
            }
        }
        string output = sides.Length > 1 ? sides[1]
            : "..." + new string(counts.Where(kv => kv.Value == 1).Select(kv => kv.Key).Order().ToArray());
        var s = new List<Dim>();
        for (int i = 0; i < output.Length; i++)
        {
            if (output.AsSpan(i).StartsWith("...")) { s.AddRange(ellipsis ?? []); i += 2; continue; }
            s.Add(letters.TryGetValue(output[i], out var d) ? d : throw c.Error($"Einsum output letter '{output[i]}' is in no operand"));
        }
        c.Out(0, new TensorInfo(c.In(0).ElemType, s.ToArray()));
    }
}
