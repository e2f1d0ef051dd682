using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// Runs a network over the calibration images with every planned layer's input and output as
/// extra outputs, samples rows (conv patches or tokens) and hands them to a sink per layer. Used once
/// on the original network (drawing the rows: <see cref="OriginalFeatures.Collect"/>) and again on pruned networks
/// (corrective mode), where the rows drawn the first time are reused so inputs and targets line up.
/// </summary>
internal static class FeatureCollector
{
    /// <summary>One batch's rows of one layer: (layer index, X rows, Y rows, row count, first image, images).</summary>
    public delegate void RowSink(int layer, ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int start, int count);

    /// <summary>
    /// Samples the <paramref name="active"/> layers of <paramref name="features"/> over <paramref name="calib"/>; with a
    /// <paramref name="drawSeed"/> the rows are drawn first (into the features), without one those drawn before are reused.
    /// </summary>
    /// <exception cref="Graph.ModelFormatException">A layer's tensors as run do not fit its plan.</exception>
    public static void Run(Graph.Onnx.ModelProto model, IReadOnlyList<LayerFeatures> features, IReadOnlyList<int> active, ImageSet calib,
        SessionOptions ortOptions, int batchSize, ulong? drawSeed, Func<int, int> inChannels, RowSink sink, CancellationToken cancel, int limit = int.MaxValue)
    {
        var names = new List<string>();
        var slot = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in active.Select(i => features[i].Plan))
            foreach (var n in new[] { p.Layer.Input, p.Layer.Output })
                if (slot.TryAdd(n, names.Count)) names.Add(n);
        using var runner = new ModelRunner(model, ortOptions, names);
        float[] x = [], y = [];
        runner.Run(calib, batchSize, names, (start, count, values) =>
        {
            foreach (int i in active)
            {
                var plan = features[i].Plan;
                var input = values[slot[plan.Layer.Input]];
                var output = values[slot[plan.Layer.Output]];
                var inShape = input.GetTensorTypeAndShape().Shape;
                var outShape = output.GetTensorTypeAndShape().Shape;
                plan.CheckShapes(inShape, outShape);
                int cin = inChannels(i);
                int cout = (int)(plan.IsConv || !plan.Tokens ? outShape[1] : outShape[2]);
                int rows = count * plan.RowsPerImage;
                int cols = cin * plan.Area;
                if (x.Length < rows * cols) x = new float[rows * cols];
                if (y.Length < rows * cout) y = new float[rows * cout];
                // Draw the rows only while collecting from the original network (a seed given); pruned networks
                // reuse them (null). Every ulong, 0 included, is a valid seed: "reuse" is not encoded in the seed's value.
                // The key is per layer; the plan draws each image from it and the image's index, not the batch's start.
                if (drawSeed is { } d)
                    plan.DrawRows(inShape, outShape, start, count, SplitMix64.Derive(d, (ulong)i), features[i].RowsToDraw(start, count));
                plan.SampleX(input.GetTensorDataAsSpan<float>(), inShape, output.GetTensorDataAsSpan<float>(), outShape,
                    count, cin, features[i].Rows(start, count), x.AsSpan(0, rows * cols), y.AsSpan(0, rows * cout));
                sink(i, x.AsSpan(0, rows * cols), y.AsSpan(0, rows * cout), rows, start, count);
            }
        }, cancel, limit);
    }
}
