using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;

namespace FastPrune.Pipeline;

/// <summary>
/// How one layer is sampled and re-solved: its geometry, which weight axes are its inputs and outputs, and how many
/// positions (conv) or tokens (linear) are drawn per calibration image. Built once from the model's structure and
/// the options, and never changed: what collection gathers for it (rows drawn, Gram, original outputs) lives in
/// <see cref="LayerFeatures"/>.
/// </summary>
internal sealed partial class LayerPlan
{
    public required PrunableLayer Layer { get; init; }
    /// <summary>Conv weights [out, in/g, kh, kw]; linear weights as stored.</summary>
    public required bool IsConv { get; init; }
    public ConvGeometry Geometry { get; init; }
    /// <summary>kh·kw for convs, 1 for linears.</summary>
    public int Area { get; init; } = 1;
    public required int InAxis { get; init; }
    public required int OutAxis { get; init; }
    public required int InChannels { get; init; }
    public required int OutChannels { get; init; }
    public required bool HasBias { get; init; }
    /// <summary>For linears: the input is (n, tokens, features) rather than (n, features).</summary>
    public bool Tokens { get; init; }
    /// <summary>Rows drawn per calibration image: the options' patches (tokens + the cls token), at most what an image
    /// has (a conv's output positions, a linear's tokens, 1 for a plain linear).</summary>
    public required int RowsPerImage { get; init; }

    public int Cols => InChannels * Area;

    /// <summary>
    /// Groups of a grouped conv (ResNeXt, RegNet), 1 otherwise. Its rows are sampled over all input channels like a dense
    /// conv's (columns group by group, since a group's channels are consecutive), but each kept group is its own
    /// least-squares problem (<see cref="LayerGram"/>); it has no Gram of the original network: pruning keeps or removes
    /// whole groups, so a kept group's inputs are all there and the paper's solve from original features is its sliced weight.
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>Output channels of one group.</summary>
    public int OutPerGroup => OutChannels / Groups;

    /// <summary>Channels of the pruned layer's input: the weight's input axis, times the kept groups for a grouped conv.</summary>
    public int PrunedInChannels(Graph.Onnx.TensorProto weight, int keptOut) =>
        (int)weight.Dims[InAxis] * (Groups == 1 ? 1 : keptOut / OutPerGroup);

    /// <summary>Plans every conv, ungrouped ConvTranspose and linear layer of <paramref name="s"/>; grouped convs get one
    /// least-squares problem per group, depthwise convs (one input channel per group) are left as sliced. Rows per image
    /// are <paramref name="patchesPerImage"/> for convs and <paramref name="tokensPerImage"/> + 1 (the cls token) for
    /// linears over tokens, clamped to what the inferred shapes give.</summary>
    /// <exception cref="ModelFormatException">A linear layer's input is not (n, features) or (n, tokens, features).</exception>
    public static List<LayerPlan> Build(PrunableStructure s, int patchesPerImage, int tokensPerImage)
    {
        var plans = new List<LayerPlan>();
        foreach (var l in s.Layers)
        {
            var w = s.Index.Initializer(l.Weight)!;
            var node = s.Index.Node(l.Node);
            if (l.OpType == "Conv")
            {
                long group = Attr.Int(node, "group", 1);
                if ((group != 1 && w.Dims[1] == 1) || w.Dims.Count != 4) continue;
                var pads = Attr.Ints(node, "pads") ?? [0, 0, 0, 0];
                var strides = Attr.Ints(node, "strides") ?? [1, 1];
                var dil = Attr.Ints(node, "dilations") ?? [1, 1];
                if (Attr.String(node, "auto_pad", "NOTSET") != "NOTSET") continue; // torch never writes auto_pad
                // sampled as a dense conv over all input channels (see Groups)
                var g = new ConvGeometry((int)(w.Dims[1] * group), (int)w.Dims[0], (int)w.Dims[2], (int)w.Dims[3],
                    (int)strides[0], (int)strides[1], (int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3], (int)dil[0], (int)dil[1]);
                plans.Add(new LayerPlan
                {
                    Layer = l, IsConv = true, Geometry = g, Area = g.KernelH * g.KernelW, InAxis = 1, OutAxis = 0,
                    InChannels = g.InChannels, OutChannels = g.OutChannels, HasBias = l.Bias is not null, Groups = (int)group,
                    RowsPerImage = ConvRows(s.Shapes, l, patchesPerImage),
                });
            }
            else if (l.OpType == "ConvTranspose")
            {
                if (Transpose(l, w, node, ConvRows(s.Shapes, l, patchesPerImage)) is { } t) plans.Add(t);
            }
            else
            {
                bool transB = l.OpType == "Gemm" && Attr.Int(node, "transB", 0) != 0;
                int inAxis = transB ? 1 : 0, outAxis = transB ? 0 : 1;
                var (rows, tokens) = LinearRows(s.Shapes, l, tokensPerImage);
                plans.Add(new LayerPlan
                {
                    Layer = l, IsConv = false, InAxis = inAxis, OutAxis = outAxis,
                    InChannels = (int)w.Dims[inAxis], OutChannels = (int)w.Dims[outAxis], HasBias = l.Bias is not null,
                    Tokens = tokens, RowsPerImage = rows,
                });
            }
        }
        return plans;
    }

    /// <summary>Original indices of the output channels the pruned layer keeps (all when its outputs were not pruned).</summary>
    public int[] KeptOut(PrunedModel pm) =>
        (pm.Kept(Layer.Weight, OutAxis) ?? Enumerable.Range(0, OutChannels).Select(i => (long)i).ToArray()).Select(i => (int)i).ToArray();

    /// <summary>
    /// Draws the rows of images [start, start+n) of the calibration set into <paramref name="rows"/>, each image's from
    /// <paramref name="key"/> and its index in the set (never from the batch: the memory plan sizes batches by the
    /// machine, and the rows must not change with it).
    /// </summary>
    public void DrawRows(ReadOnlySpan<long> inShape, ReadOnlySpan<long> outShape, int start, int n, ulong key, Span<int> rows)
    {
        if (IsConv) PatchSampler.DrawPositionsPerImage(start, n, (int)outShape[2], (int)outShape[3], RowsPerImage, key, rows);
        else if (Tokens) TokenSampler.DrawTokensPerImage(start, n, (int)inShape[1], RowsPerImage - 1, key, rows);
    }

    /// <summary>
    /// Writes the X and Y rows of a batch of <paramref name="n"/> images at <paramref name="rows"/> (drawn by
    /// <see cref="DrawRows"/>) from a layer input of <paramref name="inChannels"/> channels (the pruned network's, in
    /// corrective mode) and the layer's output.
    /// </summary>
    public int SampleX(ReadOnlySpan<float> input, ReadOnlySpan<long> inShape, ReadOnlySpan<float> output, ReadOnlySpan<long> outShape,
        int n, int inChannels, ReadOnlySpan<int> rows, Span<float> x, Span<float> y)
    {
        if (IsConv)
        {
            int h = (int)inShape[2], w = (int)inShape[3];
            var g = Geometry with { InChannels = inChannels, OutChannels = (int)outShape[1] };
            ReadOnlySpan<float> src = Transposed ? ZeroInserted(input, n, inChannels, ref h, ref w) : input;
            PatchSampler.Sample(g, 0, src, n, h, w, output, rows, RowsPerImage, x, y);
        }
        else if (Tokens)
        {
            int tokens = (int)inShape[1];
            TokenSampler.Gather(input, n, tokens, inChannels, rows, RowsPerImage, x);
            TokenSampler.Gather(output, n, tokens, (int)outShape[2], rows, RowsPerImage, y);
        }
        else
        {
            input[..(n * inChannels)].CopyTo(x);
            output[..(n * (int)outShape[1])].CopyTo(y);
        }
        return n * RowsPerImage;
    }

    /// <summary>
    /// Writes only the X rows of a batch at <paramref name="rows"/>: sequential reconstruction reads a layer's input
    /// from the stored frontier, before the layer (and so its output) has been run.
    /// </summary>
    public void SampleInputs(ReadOnlySpan<float> input, ReadOnlySpan<long> inShape, int n, int inChannels, ReadOnlySpan<int> rows, Span<float> x)
    {
        if (IsConv)
        {
            int h = (int)inShape[2], w = (int)inShape[3];
            ReadOnlySpan<float> src = Transposed ? ZeroInserted(input, n, inChannels, ref h, ref w) : input;
            PatchSampler.SampleInputs(Geometry with { InChannels = inChannels }, 0, src, n, h, w, rows, RowsPerImage, x);
        }
        else if (Tokens)
            TokenSampler.Gather(input, n, (int)inShape[1], inChannels, rows, RowsPerImage, x);
        else
            input[..(n * inChannels)].CopyTo(x);
    }
}
