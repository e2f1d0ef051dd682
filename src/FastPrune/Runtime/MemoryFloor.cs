using FastPrune.Graph;

namespace FastPrune.Runtime;

/// <summary>
/// Refuses, before ONNX Runtime CPU allocates anything, a batch whose memory cannot possibly fit. Linux
/// over-commits: a too-large allocation "succeeds" and the process is killed later when it touches the pages,
/// so a clean error has to come from an estimate made up front.
/// </summary>
internal static class MemoryFloor
{
    /// <summary>
    /// Throws <see cref="BenchmarkException"/> (<see cref="BenchmarkFailure.OutOfMemory"/>) when a lower bound
    /// of the run's memory exceeds the memory available to this process. The bound is the weights, plus the
    /// inputs, plus the largest intermediate tensor at this batch: all three are alive while the largest
    /// operator runs, whatever the memory planner does.
    /// </summary>
    public static void ThrowIfTooLarge(OnnxModel model, IReadOnlyList<InputSpec> inputs, int batch, string modelPath)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double need = Weights(model) + inputs.Sum(i => (double)i.ElementCount * ElementType.SizeOf(i.ElementType))
            + ((double)batch * LargestIntermediateAtBatchOne(model));
        if (need > available)
        {
            throw new BenchmarkException(BenchmarkFailure.OutOfMemory,
                $"batch {batch} does not fit on ort-cpu: it needs at least {need / (1 << 30):F1} GiB and {available / (double)(1 << 30):F1} GiB is available",
                modelPath);
        }
    }

    private static double Weights(OnnxModel model) =>
        model.Proto.Graph.Initializer.Sum(t => (double)t.RawData.Length + (4.0 * t.FloatData.Count) + (8.0 * t.Int64Data.Count));

    private static double LargestIntermediateAtBatchOne(OnnxModel model)
    {
        try
        {
            var index = new GraphIndex(model.Proto.Graph);
            var shapes = ShapeInference.Run(index, model, ModelCost.BatchOneBindings(index));
            double largest = 0;
            foreach (var node in model.Proto.Graph.Node)
            {
                foreach (string output in node.Output)
                {
                    if (shapes.TryGetValue(output, out var t) && t.IsStatic)
                        largest = Math.Max(largest, t.StaticShape().Aggregate(1.0, (a, d) => a * d) * Math.Max(1, ElementType.SizeOf(t.ElemType)));
                }
            }
            return largest;
        }
        catch (Exception e) when (e is ModelFormatException or InputShapeException)
        {
            return 0; // no shapes, no bound from them: the inputs and weights still count
        }
    }
}
