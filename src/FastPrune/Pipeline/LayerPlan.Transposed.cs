using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;

namespace FastPrune.Pipeline;

// ConvTranspose (FPN / U-Net upsampling) as the conv it equals, so the patch sampler and the Gram machinery serve it.
internal sealed partial class LayerPlan
{
    //   ConvTranspose:  y[co, oy] = b[co] + Σ x[ci, iy] · W[ci, co, ky]        where oy = iy·s − padBegin + ky·d
    //   equals a stride-1 conv over u, x with s − 1 zeros inserted between neighbours (u[iy·s] = x[iy]), with the
    //   kernel flipped (tap ky' = k − 1 − ky), pads d·(k − 1) − padBegin and d·(k − 1) − padEnd + outputPadding:
    //     conv(u)[oy] reads u[oy − d(k−1) + padBegin + ky'·d] = u[oy + padBegin − ky·d] = x[iy]  ✓
    //   (per spatial axis). X columns are then (ci, ky', kx'); the writer flips the taps back.

    /// <summary>True for a ConvTranspose: rows are sampled from the zero-inserted input and <see cref="Geometry"/> is the equal conv's.</summary>
    public bool Transposed { get; init; }

    /// <summary>The ConvTranspose's strides (the zeros inserted), for <see cref="Transposed"/> plans.</summary>
    public (int H, int W) InsertStride { get; init; } = (1, 1);

    /// <summary>The plan of an ungrouped 2-D ConvTranspose, or null when it has no equal conv here (auto_pad, output_shape,
    /// pads beyond the dilated kernel): such a layer is left as sliced.</summary>
    private static LayerPlan? Transpose(PrunableLayer l, TensorProto w, NodeProto node, int rowsPerImage)
    {
        if (w.Dims.Count != 4 || Attr.Int(node, "group", 1) != 1 || Attr.String(node, "auto_pad", "NOTSET") != "NOTSET"
            || node.Attribute.Any(a => a.Name == "output_shape"))
            return null;
        var pads = Attr.Ints(node, "pads") ?? [0, 0, 0, 0];
        var strides = Attr.Ints(node, "strides") ?? [1, 1];
        var dil = Attr.Ints(node, "dilations") ?? [1, 1];
        var outPad = Attr.Ints(node, "output_padding") ?? [0, 0];
        int kh = (int)w.Dims[2], kw = (int)w.Dims[3];
        long reachH = dil[0] * (kh - 1), reachW = dil[1] * (kw - 1);
        int top = (int)(reachH - pads[0]), left = (int)(reachW - pads[1]), bottom = (int)(reachH - pads[2] + outPad[0]), right = (int)(reachW - pads[3] + outPad[1]);
        if (Math.Min(Math.Min(top, left), Math.Min(bottom, right)) < 0) return null;
        var g = new ConvGeometry((int)w.Dims[0], (int)w.Dims[1], kh, kw, 1, 1, top, left, bottom, right, (int)dil[0], (int)dil[1]);
        return new LayerPlan
        {
            Layer = l, IsConv = true, Transposed = true, InsertStride = ((int)strides[0], (int)strides[1]), Geometry = g, Area = kh * kw,
            InAxis = 0, OutAxis = 1, InChannels = g.InChannels, OutChannels = g.OutChannels, HasBias = l.Bias is not null,
            RowsPerImage = rowsPerImage,
        };
    }

    /// <summary>NCHW <paramref name="input"/> (n, c, h, w) with <see cref="InsertStride"/> − 1 zeros between neighbours;
    /// <paramref name="h"/> and <paramref name="w"/> become the new size.</summary>
    private float[] ZeroInserted(ReadOnlySpan<float> input, int n, int c, ref int h, ref int w)
    {
        var (sh, sw) = InsertStride;
        int uh = (h - 1) * sh + 1, uw = (w - 1) * sw + 1;
        var u = new float[checked((long)n * c * uh * uw)];
        for (long plane = 0; plane < (long)n * c; plane++)
            for (int iy = 0; iy < h; iy++)
                for (int ix = 0; ix < w; ix++)
                    u[(plane * uh + iy * sh) * uw + ix * sw] = input[(int)((plane * h + iy) * w + ix)];
        (h, w) = (uh, uw);
        return u;
    }

    /// <summary>A solution W ((ci, ky', kx') × cout) as the ConvTranspose weight [cin][cout][kh][kw], taps flipped back.</summary>
    public float[] TransposedWeight(ReadOnlySpan<float> solution, int cin, int cout)
    {
        int kh = Geometry.KernelH, kw = Geometry.KernelW;
        var data = new float[(long)cin * cout * kh * kw];
        for (int ci = 0; ci < cin; ci++)
            for (int co = 0; co < cout; co++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        data[((ci * cout + co) * kh + ky) * kw + kx] = solution[((ci * kh + kh - 1 - ky) * kw + kw - 1 - kx) * cout + co];
        return data;
    }
}
