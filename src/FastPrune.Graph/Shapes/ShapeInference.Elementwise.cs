namespace FastPrune.Graph;

public static partial class ShapeInference
{
    private static void SameAsInput(InferContext c)
    {
        var x = c.In(0);
        c.Out(0, x with { Values = null });
        if (c.Node.OpType == "Dropout" && c.Node.Output.Count > 1)
            c.Out(1, new TensorInfo(ElementType.Bool, x.Shape));
    }

    private static void Identity(InferContext c) => c.Out(0, c.In(0));

    private static void Cast(InferContext c)
    {
        var x = c.In(0);
        int to = (int)Attr.Int(c.Node, "to", 0);
        bool integral = to is ElementType.Int64 or ElementType.Int32;
        c.Out(0, new TensorInfo(to, x.Shape, integral ? x.Values : null));
    }

    /// <summary>Numpy-style broadcast of two shapes.</summary>
    internal static Dim[]? BroadcastShapes(InferContext c, Dim[]? a, Dim[]? b)
    {
        if (a is null || b is null) return null;
        int rank = Math.Max(a.Length, b.Length);
        var r = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : Dim.Of(1);
            var db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : Dim.Of(1);
            if (da.IsKnown && da.Value == 1) r[i] = db;
            else if (db.IsKnown && db.Value == 1) r[i] = da;
            else if (da == db) r[i] = da;
            else if (da.IsKnown && db.IsKnown)
                throw c.Error($"shapes [{string.Join(",", a)}] and [{string.Join(",", b)}] do not broadcast");
            else r[i] = da.IsUnknown ? db : da;
        }
        return r;
    }

    private static Dim[]? BroadcastValues(Dim[]? a, Dim[]? b, Func<Dim, Dim, Dim> op)
    {
        if (a is null || b is null) return null;
        if (a.Length != b.Length && a.Length != 1 && b.Length != 1) return null;
        int n = Math.Max(a.Length, b.Length);
        var r = new Dim[n];
        for (int i = 0; i < n; i++)
            r[i] = op(a[a.Length == 1 ? 0 : i], b[b.Length == 1 ? 0 : i]);
        return r;
    }

    private static void Broadcast(InferContext c)
    {
        var x = c.In(0);
        var shape = x.Shape;
        var values = x.Values;
        for (int i = 1; i < c.Node.Input.Count; i++)
        {
            var y = c.In(i);
            // Flat values pair element by element only when the shapes agree or one side is a single value.
            bool pairable = values is { Length: 1 } || y.Values is { Length: 1 }
                || (shape is not null && y.Shape is not null && shape.SequenceEqual(y.Shape));
            shape = BroadcastShapes(c, shape, y.Shape);
            if (!pairable) { values = null; continue; }
            values = c.Node.OpType switch
            {
                "Add" or "Sum" => BroadcastValues(values, y.Values, (p, q) => p + q),
                "Sub" => BroadcastValues(values, y.Values, (p, q) => p - q),
                "Mul" => BroadcastValues(values, y.Values, (p, q) => p * q),
                "Div" => BroadcastValues(values, y.Values, (p, q) => p / q),
                "Max" => BroadcastValues(values, y.Values, (p, q) => p.IsKnown && q.IsKnown ? Dim.Of(Math.Max(p.Value, q.Value)) : Dim.Unknown),
                "Min" => BroadcastValues(values, y.Values, (p, q) => p.IsKnown && q.IsKnown ? Dim.Of(Math.Min(p.Value, q.Value)) : Dim.Unknown),
                // Integer Mod (fmod = 0) takes the divisor's sign, as Python's %: Swin's (w − W % w) % w padding.
                "Mod" when Attr.Int(c.Node, "fmod", 0) == 0 => BroadcastValues(values, y.Values, (p, q) =>
                    p.IsKnown && q.IsKnown && q.Value != 0 ? Dim.Of(((p.Value % q.Value) + q.Value) % q.Value) : Dim.Unknown),
                _ => null,
            };
        }
        c.Out(0, new TensorInfo(x.ElemType, shape, values));
    }

    private static void Compare(InferContext c)
    {
        var a = c.In(0);
        var b = c.In(1);
        var shape = BroadcastShapes(c, a.Shape, b.Shape);
        Dim[]? values = c.Node.OpType == "Equal" ? BroadcastValues(a.Values, b.Values, EqualDims) : null;
        c.Out(0, new TensorInfo(ElementType.Bool, shape, values));
    }

    private static Dim EqualDims(Dim p, Dim q)
    {
        if (p.IsKnown && q.IsKnown) return Dim.Of(p.Value == q.Value ? 1 : 0);
        if (p.IsSymbolic && q.IsSymbolic && p == q) return Dim.Of(1);
        // A symbolic dim is a size, never negative: torch compares shapes with -1 markers.
        if (p.IsSymbolic && q.IsKnown && q.Value < 0) return Dim.Of(0);
        if (q.IsSymbolic && p.IsKnown && p.Value < 0) return Dim.Of(0);
        return Dim.Unknown;
    }

    private static void Where(InferContext c)
    {
        var cond = c.In(0);
        var x = c.In(1);
        var y = c.In(2);
        var shape = BroadcastShapes(c, BroadcastShapes(c, cond.Shape, x.Shape), y.Shape);
        Dim[]? values = null;
        if (cond.Values is { } cv && x.Values is { } xv && y.Values is { } yv)
        {
            int n = Math.Max(cv.Length, Math.Max(xv.Length, yv.Length));
            values = new Dim[n];
            for (int i = 0; i < n; i++)
            {
                var ci = cv[cv.Length == 1 ? 0 : Math.Min(i, cv.Length - 1)];
                var pick = ci.IsKnown ? (ci.Value != 0 ? xv : yv) : null;
                values[i] = pick is null ? Dim.Unknown : pick[pick.Length == 1 ? 0 : Math.Min(i, pick.Length - 1)];
            }
        }
        c.Out(0, new TensorInfo(x.ElemType, shape, values));
    }
}
