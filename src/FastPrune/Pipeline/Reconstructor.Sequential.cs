using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Pipeline;

internal sealed partial class Reconstructor
{
    /// <summary>
    /// Block Gauss-Seidel over consecutive groups of layers in O(L) work: the pruned network's calibration
    /// activations are carried forward cut by cut (<see cref="StageSegments"/>, stored in an
    /// <see cref="ActivationStore"/>), so each segment runs once per pass instead of each stage running its whole
    /// prefix. A group of one layer reads its input from the stored frontier; a longer group first runs its own
    /// segments with the old weights to collect its inner layers' inputs (what a prefix collection would see).
    /// Returns ridge escalations, or null when the graph cannot be cut (the caller falls back to prefix passes).
    /// </summary>
    private int? Sequential(PrunedModel pm, ModelProto model, List<List<int>> groups, int images, CancellationToken cancel)
    {
        var graph = model.Graph;
        var weightNode = WeightConsumers(graph);
        var order = groups.SelectMany(g => g).ToList();
        if (order.Any(i => !weightNode.ContainsKey(layers[i].Plan.Layer.Weight))) return null;
        var layerCuts = order.Select(i => weightNode[layers[i].Plan.Layer.Weight]).ToArray();
        if (layerCuts.Zip(layerCuts.Skip(1)).Any(p => p.Second <= p.First)) return null;
        // A leading cut at node 0 when the first layer does not read the images (preprocessing nodes before it).
        int offset = layerCuts[0] > 0 ? 1 : 0;
        int[] cuts = offset == 1 ? [0, .. layerCuts] : layerCuts;
        var segs = StageSegments.TryBuild(graph, cuts);
        string input = graph.Input[0].Name;
        if (segs is null || segs.Frontiers[0].Any(n => n != input)) return null;

        var index = WeightWriter.Index(graph);
        var state = new SequentialState(this, layers, engine, pm, graph, index, order, offset);
        var frontier = new ActivationStore(frontierBudget, spillFolder);
        try
        {
            byte[] reused = [];
            // Exactly `images` images, not whole batches: batch sizes follow the machine's memory, results must not.
            foreach (var (start, count, imgs) in calib.Batches(batchSize, images))
            {
                cancel.ThrowIfCancellationRequested();
                var raw = MemoryMarshal.AsBytes(imgs.Span);
                // A batch the store will hold gets its own array; one it will spill is written from a reused buffer, never
                // one a held batch owns (reusing the last held array overwrote that batch's images once the budget ran out).
                bool hold = frontier.WouldHold(raw.Length);
                if (!hold && reused.Length != raw.Length) reused = new byte[raw.Length];
                var bytes = hold ? new byte[raw.Length] : reused;
                raw.CopyTo(bytes);
                var shape = new long[] { count, calib.Shape.Channels, calib.Shape.Height, calib.Shape.Width };
                frontier.Add(new StoredBatch(start, count, [new StoredTensor(input, TensorElementType.Float, shape, bytes, Borrowed: !hold)]));
                if (offset == 0) state.Sample(0, frontier.Get(frontier.Count - 1));
            }
            int escalations = 0;
            // Each group's cuts [A, End); the leading cut, when there is one, is a group without layers.
            var ranges = new List<(int A, int End)>();
            if (offset == 1) ranges.Add((0, 1));
            int at = offset;
            foreach (var g in groups) ranges.Add((at, at += g.Count));
            foreach (var (a, end) in ranges)
            {
                // Inner layers of a longer group: their inputs as the old weights produce them.
                if (end - a > 1) Chain(segs, model, frontier, a, end - 1, null, a + 1, state, cancel);
                if (a >= offset)
                    using (ReconProfile.Time("solve"))
                        escalations += state.Solve(a, end);
                if (end >= cuts.Length) break;
                var next = new ActivationStore(frontierBudget, spillFolder);
                try
                {
                    Chain(segs, model, frontier, a, end, next, end, state, cancel);
                }
                catch
                {
                    next.Dispose();
                    throw;
                }
                frontier.Dispose();
                frontier = next;
            }
            return escalations;
        }
        finally
        {
            frontier.Dispose();
            state.Dispose();
        }
    }

    /// <summary>
    /// Runs segments [<paramref name="from"/>, <paramref name="to"/>) batch by batch over <paramref name="frontier"/>,
    /// sampling the layer inputs at cuts from <paramref name="sampleFrom"/> on, and stores the last frontier in <paramref name="into"/> when given.
    /// </summary>
    private void Chain(StageSegments segs, ModelProto model, ActivationStore frontier, int from, int to, ActivationStore? into,
        int sampleFrom, SequentialState state, CancellationToken cancel)
    {
        // Each segment's outputs land in buffers reused batch after batch, except the last segment's while the next store
        // still holds what it is given: those arrays are handed over (SegmentRunner).
        var runners = new List<SegmentRunner>();
        using var options = ModelRunner.CollectOptions(ortOptions);
        // The arena on: each batch's outputs would otherwise be fresh pages (page faults in the kernel for every run),
        // and these sessions end with their stage, which returns the arena's memory.
        options.EnableCpuMemArena = true;
        try
        {
            for (int s = from; s < to; s++)
            {
                using var timing = ReconProfile.Time("session");
                var (m, inputs, outputs) = segs.Segment(model, s, [], types);
                runners.Add(new SegmentRunner(m is null ? null : new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(m), options), inputs, outputs));
            }
            using var runOptions = new RunOptions();
            long lastBytes = 1;
            for (int j = 0; j < frontier.Count; j++)
            {
                cancel.ThrowIfCancellationRequested();
                StoredBatch batch;
                using (ReconProfile.Time("store-get")) batch = frontier.Get(j);
                for (int s = from; s < to; s++)
                {
                    bool handOver = s == to - 1 && into is not null && into.WouldHold(lastBytes);
                    var produced = runners[s - from].Run(batch, handOver, runOptions);
                    // The next frontier: tensors this segment computed, and older ones carried past it.
                    var tensors = segs.Frontiers[s + 1].Select(n => Array.Find(produced, t => t.Name == n) ?? batch[n]).ToArray();
                    batch = new StoredBatch(batch.Start, batch.Count, tensors);
                    if (s + 1 >= sampleFrom)
                        using (ReconProfile.Time("sample"))
                            state.Sample(s + 1, batch);
                }
                lastBytes = Math.Max(1, batch.Tensors.Sum(t => (long)t.Data.Length));
                using (ReconProfile.Time("store-add")) into?.Add(batch);
            }
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }
}
