using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// Runs a network over the calibration images with every planned layer's input and output as
/// extra outputs, samples rows (conv patches or tokens) and hands them to a sink per layer. Used once
/// on the original network (Grams and targets) and again on pruned networks (corrective mode),
/// where the rows drawn the first time are reused so inputs and targets line up.
/// </summary>
internal static class FeatureCollector
{
    /// <summary>One batch's rows of one layer: (plan index, X rows, Y rows, row count).</summary>
    public delegate void RowSink(int plan, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int start, int count);

    public static void Run(Graph.Onnx.ModelProto model, IReadOnlyList<LayerPlan> plans, IReadOnlyList<int> active, ImageSet calib,
        SessionOptions session, int batchSize, ulong? drawSeed, Func<int, int> inChannels, RowSink sink, CancellationToken cancel, int limit = int.MaxValue)
    {
        var names = new List<string>();
        var slot = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in active.Select(i => plans[i]))
            foreach (var n in new[] { p.Layer.Input, p.Layer.Output })
                if (slot.TryAdd(n, names.Count)) names.Add(n);
        using var runner = new ModelRunner(model, session, names);
        float[] x = [], y = [];
        runner.Run(calib, batchSize, names, (start, count, values) =>
        {
            foreach (int i in active)
            {
                var plan = plans[i];
                var input = values[slot[plan.Layer.Input]];
                var output = values[slot[plan.Layer.Output]];
                var inShape = input.GetTensorTypeAndShape().Shape;
                var outShape = output.GetTensorTypeAndShape().Shape;
                bool first = plan.Rows.Length == 0;
                if (first) Prepare(plan, inShape, outShape, calib.Count);
                int cin = inChannels(i);
                int cout = (int)(plan.IsConv || !plan.Tokens ? outShape[1] : outShape[2]);
                int rows = count * plan.RowsPerImage;
                int cols = cin * plan.Area;
                if (x.Length < rows * cols) x = new float[rows * cols];
                if (y.Length < rows * cout) y = new float[rows * cout];
                // Draw the rows only while collecting from the original network (a seed given); pruned networks
                // reuse them (null). Every ulong, 0 included, is a valid seed: "reuse" is not encoded in the seed's value.
                // The key is per layer; the plan draws each image from it and the image's index, not the batch's start.
                ulong? key = drawSeed is { } d ? SplitMix64.Derive(d, (ulong)i) : null;
                plan.SampleX(input.GetTensorDataAsSpan<float>(), inShape, output.GetTensorDataAsSpan<float>(), outShape,
                    start, count, cin, key, x.AsSpan(0, rows * cols), y.AsSpan(0, rows * cout));
                sink(i, x.AsSpan(0, rows * cols), y.AsSpan(0, rows * cout), rows, start, count);
            }
        }, cancel, limit);
    }

    private static void Prepare(LayerPlan plan, long[] inShape, long[] outShape, int images)
    {
        if (plan.IsConv)
            plan.RowsPerImage = (int)Math.Min(plan.RowsPerImage, outShape[2] * outShape[3]);
        else if (inShape.Length == 3)
        {
            plan.Tokens = true;
            plan.RowsPerImage = (int)Math.Min(plan.RowsPerImage, inShape[1]);
        }
        else if (inShape.Length == 2) plan.RowsPerImage = 1;
        else throw new Graph.ModelFormatException($"layer input of rank {inShape.Length} is not supported for reconstruction", node: plan.Layer.Name);
        plan.Rows = new int[images * plan.RowsPerImage];
    }
}
