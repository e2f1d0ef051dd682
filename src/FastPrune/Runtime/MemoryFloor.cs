using FastPrune.Graph;

namespace FastPrune.Runtime;

/// <summary>
/// Refuses, before ONNX Runtime CPU allocates anything, a batch whose memory might not fit. Linux over-commits: a
/// too-large allocation "succeeds" and the process is killed later when it touches the pages, so a clean error has
/// to come from an estimate made up front — and it must be an upper bound: a lower bound (weights, inputs and the
/// largest tensor only) passed `bench --batch 100000` at 10 GB while the run peaked at 17.4 GB.
/// </summary>
internal static class MemoryFloor
{
    /// <summary>
    /// Throws <see cref="BenchmarkException"/> (<see cref="BenchmarkFailure.OutOfMemory"/>) when an upper bound of
    /// the run's memory exceeds the memory available to this process. The bound: the weights twice (ONNX Runtime
    /// may keep a pre-packed copy beside the initializer), the inputs, every intermediate tensor at this batch alive
    /// at once (the memory planner can only do better by reusing buffers), the copied-out outputs, and one im2col
    /// buffer per thread for the largest convolution.
    /// </summary>
    public static void ThrowIfTooLarge(OnnxModel model, IReadOnlyList<InputSpec> inputs, int batch, string modelPath)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var (activations, outputs, im2col) = ActivationsAtBatchOne(model);
        double need = (2 * Weights(model)) + inputs.Sum(i => (double)i.ElementCount * ElementType.SizeOf(i.ElementType))
            + ((double)batch * (activations + outputs)) + (im2col * Environment.ProcessorCount);
        if (need > available)
        {
            throw new BenchmarkException(BenchmarkFailure.OutOfMemory,
                $"batch {batch} may not fit on ort-cpu: it may need up to {need / (1 << 30):F1} GiB and {available / (double)(1 << 30):F1} GiB is available",
                modelPath);
        }
    }

    private static double Weights(OnnxModel model) =>
        model.Proto.Graph.Initializer.Sum(t => (double)t.RawData.Length + (4.0 * t.FloatData.Count) + (8.0 * t.Int64Data.Count));

    private static (double Activations, double Outputs, double Im2Col) ActivationsAtBatchOne(OnnxModel model)
    {
        try
        {
            var index = new GraphIndex(model.Proto.Graph);
            var shapes = ShapeInference.Run(index, model, ModelCost.BatchOneBindings(index));
            var graphOutputs = model.Proto.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            double sum = 0, outputs = 0, im2col = 0;
            foreach (var node in model.Proto.Graph.Node)
            {
                foreach (string output in node.Output)
                {
                    if (!shapes.TryGetValue(output, out var t) || !t.IsStatic) continue;
                    double bytes = t.StaticShape().Aggregate(1.0, (a, d) => a * d) * Math.Max(1, ElementType.SizeOf(t.ElemType));
                    sum += bytes;
                    if (graphOutputs.Contains(output)) outputs += bytes;
                }
                if (node.OpType == "Conv" && node.Input.Count > 1 && shapes.TryGetValue(node.Input[1], out var w) && w.IsStatic
                    && shapes.TryGetValue(node.Output[0], out var y) && y.IsStatic)
                {
                    // Columns of one image: (Cin/group · kernel area) × output positions, 4-byte floats.
                    var ws = w.StaticShape();
                    var ys = y.StaticShape();
                    im2col = Math.Max(im2col, ws.Skip(1).Aggregate(1.0, (a, d) => a * d) * ys.Skip(2).Aggregate(1.0, (a, d) => a * d) * 4);
                }
            }
            return (sum, outputs, im2col);
        }
        catch (Exception e) when (e is ModelFormatException or InputShapeException)
        {
            return (0, 0, 0); // no shapes, no bound from them: the inputs and weights still count
        }
    }
}
