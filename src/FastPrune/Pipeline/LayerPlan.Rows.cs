using FastPrune.Graph;
using FastPrune.Graph.Pruning;

namespace FastPrune.Pipeline;

// Rows per image from the inferred shapes, so that a plan is complete (and immutable) before any image is run; the
// collector checks the shapes ONNX Runtime produces against them, so a wrong inference is refused, never sampled from.
internal sealed partial class LayerPlan
{
    /// <summary>Rows a conv's image gives: at most <paramref name="patches"/>, at most its output positions (an
    /// unknown output size does not clamp; <see cref="CheckShapes"/> then refuses a run with fewer positions).</summary>
    private static int ConvRows(IReadOnlyDictionary<string, TensorInfo> shapes, PrunableLayer l, int patches)
    {
        long h = Dim(shapes, l.Output, 2), w = Dim(shapes, l.Output, 3);
        return h == long.MaxValue || w == long.MaxValue ? patches : (int)Math.Min(patches, h * w);
    }

    /// <summary>A linear's rows per image and whether it reads tokens: (n, tokens, features) gives at most
    /// <paramref name="tokens"/> + 1 (the cls token and random others), (n, features) one row.</summary>
    private static (int Rows, bool Tokens) LinearRows(IReadOnlyDictionary<string, TensorInfo> shapes, PrunableLayer l, int tokens)
    {
        int rank = shapes.TryGetValue(l.Input, out var info) ? info.Rank : -1;
        return rank switch
        {
            3 => ((int)Math.Min(tokens + 1L, Dim(shapes, l.Input, 1)), true),
            2 => (1, false),
            < 0 => throw new ModelFormatException($"the rank of layer input '{l.Input}' is not inferred; reconstruction needs it (give --input-shape)", node: l.Name),
            _ => throw new ModelFormatException($"layer input of rank {rank} is not supported for reconstruction", node: l.Name),
        };
    }

    private static long Dim(IReadOnlyDictionary<string, TensorInfo> shapes, string name, int axis) =>
        shapes.TryGetValue(name, out var t) && t.Shape is { } d && d.Length > axis && d[axis].IsKnown ? d[axis].Value : long.MaxValue;

    /// <summary>Refuses a layer input or output, as ONNX Runtime produced it, that cannot give the rows this plan was
    /// built for (the inferred shape was wrong or unknown).</summary>
    /// <exception cref="ModelFormatException">The shapes do not fit the plan.</exception>
    public void CheckShapes(ReadOnlySpan<long> inShape, ReadOnlySpan<long> outShape)
    {
        bool fits = IsConv ? outShape.Length == 4 && outShape[2] * outShape[3] >= RowsPerImage
            : Tokens ? inShape.Length == 3 && outShape.Length == 3 && inShape[1] >= RowsPerImage
            : inShape.Length == 2 && outShape.Length == 2;
        if (!fits)
            throw new ModelFormatException($"layer input ({string.Join('×', inShape.ToArray())}) and output ({string.Join('×', outShape.ToArray())}) " +
                $"as run differ from the inferred shapes its reconstruction was planned for ({RowsPerImage} rows per image)", node: Layer.Name);
    }
}
