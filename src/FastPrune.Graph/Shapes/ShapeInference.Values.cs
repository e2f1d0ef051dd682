namespace FastPrune.Graph;

public static partial class ShapeInference
{
    // Values of small integer tensors are kept flat, in row-major order, whatever their rank: exporters pass
    // shape arithmetic through 2-D detours (torch's F.pad reverses its [begin, end] pairs with Reshape [-1, 2]
    // → Slice step −1 → Transpose → Reshape [-1]), so Slice and Transpose must follow them in any rank.

    /// <summary>Row-major strides of a static shape, or null when a dim is not a known number or the values do not fill it.</summary>
    private static long[]? Strides(Dim[] shape, int count)
    {
        if (shape.Any(d => !d.IsKnown || d.Value < 0) || shape.Aggregate(1L, (p, d) => p * d.Value) != count) return null;
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i].Value;
        }
        return strides;
    }

    /// <summary>The values of a transposed tensor: out[i…] = in[perm-mapped i…].</summary>
    private static Dim[]? TransposeValues(Dim[]? values, Dim[] shape, long[] perm)
    {
        if (values is null || Strides(shape, values.Length) is not { } inStrides) return null;
        var outShape = perm.Select(p => shape[p].Value).ToArray();
        var result = new Dim[values.Length];
        var idx = new long[outShape.Length];
        for (int k = 0; k < result.Length; k++)
        {
            long src = 0;
            for (int a = 0; a < idx.Length; a++) src += idx[a] * inStrides[perm[a]];
            result[k] = values[src];
            for (int a = idx.Length - 1; a >= 0 && ++idx[a] == outShape[a]; a--) idx[a] = 0;
        }
        return result;
    }

    /// <summary>The values of a slice: per axis, <c>Count</c> elements from <c>Start</c> by <c>Step</c> (whole axis when null).</summary>
    private static Dim[]? SliceValues(Dim[]? values, Dim[] shape, (long Start, long Step, long Count)?[] ranges)
    {
        if (values is null || Strides(shape, values.Length) is not { } strides) return null;
        var r = ranges.Select((x, a) => x ?? (0, 1, shape[a].Value)).ToArray();
        long total = r.Aggregate(1L, (p, x) => p * x.Count);
        var result = new Dim[total];
        var idx = new long[r.Length];
        for (long k = 0; k < total; k++)
        {
            long src = 0;
            for (int a = 0; a < idx.Length; a++) src += (r[a].Start + idx[a] * r[a].Step) * strides[a];
            result[k] = values[src];
            for (int a = idx.Length - 1; a >= 0 && ++idx[a] == r[a].Count; a--) idx[a] = 0;
        }
        return result;
    }
}
