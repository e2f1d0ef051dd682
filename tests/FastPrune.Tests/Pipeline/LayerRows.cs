using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Every least-squares row of one layer over n images, sampled with the kernels' samplers: a conv at
/// every output position (PatchSampler), a transformer linear at every token (TokenSampler), a plain
/// linear once per image. A session opened with more patches/tokens per image than there are sees
/// exactly these rows (in another order, which a Gram does not notice).
/// </summary>
internal sealed record LayerRows(double[] X, double[] Y, int Rows, int Cols, int Outputs, int Area)
{
    public static LayerRows Collect(ModelProto model, PrunableLayer layer, float[] images, SampleShape shape, int n)
    {
        var t = OrtProbe.Run(model, images, shape, n, layer.Input, layer.Output);
        var (input, inShape) = t[0];
        var (output, outShape) = t[1];
        if (layer.OpType == "Conv")
        {
            var node = new GraphIndex(model.Graph).Node(layer.Node);
            var w = new GraphIndex(model.Graph).Initializer(layer.Weight)!;
            if (Attr.Int(node, "group", 1) != 1) throw new InvalidOperationException($"{layer.Name} is grouped");
            var pads = Attr.Ints(node, "pads") ?? [0, 0, 0, 0];
            var strides = Attr.Ints(node, "strides") ?? [1, 1];
            var dil = Attr.Ints(node, "dilations") ?? [1, 1];
            var g = new ConvGeometry((int)inShape[1], (int)outShape[1], (int)w.Dims[2], (int)w.Dims[3], (int)strides[0], (int)strides[1],
                (int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3], (int)dil[0], (int)dil[1]);
            int positions = (int)(outShape[2] * outShape[3]);
            var pos = new int[n * positions];
            for (int i = 0; i < pos.Length; i++) pos[i] = i % positions;
            var x = new float[(long)pos.Length * g.PatchWidth];
            var y = new float[(long)pos.Length * g.OutChannels];
            PatchSampler.Sample(g, 0, input, n, (int)inShape[2], (int)inShape[3], output, pos, positions, x, y);
            return new LayerRows(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(y, v => (double)v), pos.Length, g.PatchWidth, g.OutChannels,
                g.KernelH * g.KernelW);
        }
        if (inShape.Length == 3)
        {
            int tokens = (int)inShape[1], fin = (int)inShape[2], fout = (int)outShape[2];
            var idx = new int[n * tokens];
            for (int i = 0; i < idx.Length; i++) idx[i] = i % tokens;
            var x = new float[(long)idx.Length * fin];
            var y = new float[(long)idx.Length * fout];
            TokenSampler.Gather(input, n, tokens, fin, idx, tokens, x);
            TokenSampler.Gather(output, n, tokens, fout, idx, tokens, y);
            return new LayerRows(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(y, v => (double)v), idx.Length, fin, fout, 1);
        }
        return new LayerRows(Array.ConvertAll(input, v => (double)v), Array.ConvertAll(output, v => (double)v), n, (int)inShape[1], (int)outShape[1], 1);
    }

    /// <summary>The rows restricted to kept input channels (all area taps of each) and kept outputs.</summary>
    public LayerRows Keep(long[]? keptIn, long[]? keptOut)
    {
        var cols = keptIn is null ? Enumerable.Range(0, Cols).ToArray()
            : keptIn.SelectMany(c => Enumerable.Range((int)c * Area, Area)).ToArray();
        var outs = keptOut is null ? Enumerable.Range(0, Outputs).ToArray() : keptOut.Select(o => (int)o).ToArray();
        var x = new double[(long)Rows * cols.Length];
        var y = new double[(long)Rows * outs.Length];
        for (long r = 0; r < Rows; r++)
        {
            for (int j = 0; j < cols.Length; j++) x[r * cols.Length + j] = X[r * Cols + cols[j]];
            for (int j = 0; j < outs.Length; j++) y[r * outs.Length + j] = Y[r * Outputs + outs[j]];
        }
        return new LayerRows(x, y, Rows, cols.Length, outs.Length, Area);
    }
}
