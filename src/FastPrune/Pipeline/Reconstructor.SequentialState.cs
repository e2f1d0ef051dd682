using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;

namespace FastPrune.Pipeline;

internal sealed partial class Reconstructor
{
    /// <summary>
    /// The Grams of the layers a sequential pass is collecting, keyed by cut: each is opened on its first batch
    /// (with the pruned layer's input width and kept outputs) and released as soon as its layer is solved, so at most a
    /// group and the next group's first layer hold a Gram at any time.
    /// </summary>
    private sealed class SequentialState(Reconstructor owner, IReadOnlyList<LayerFeatures> layers, IReconEngine engine, PrunedModel pm, GraphProto graph, Dictionary<string, int> index,
        List<int> order, int offset) : IDisposable
    {
        private readonly Dictionary<int, LayerGram> _open = [];
        private float[] _x = [], _y = [];

        /// <summary>Adds the rows of the layer at <paramref name="cut"/> from its input in <paramref name="batch"/>.</summary>
        public void Sample(int cut, StoredBatch batch)
        {
            if (cut < offset) return;
            var features = layers[order[cut - offset]];
            var plan = features.Plan;
            if (!_open.TryGetValue(cut, out var layer))
            {
                var keptOut = plan.KeptOut(pm);
                layer = LayerGram.Open(engine, plan, plan.PrunedInChannels(graph.Initializer[index[plan.Layer.Weight]], keptOut.Length), keptOut);
                _open[cut] = layer;
            }
            var t = batch[plan.Layer.Input];
            int rows = batch.Count * plan.RowsPerImage, cols = layer.Cin * plan.Area;
            if (_x.Length < rows * cols) _x = new float[rows * cols];
            plan.SampleInputs(MemoryMarshal.Cast<byte, float>(t.Data), t.Shape, batch.Count, layer.Cin, features.Rows(batch.Start, batch.Count), _x.AsSpan(0, rows * cols));
            AddWithTargets(features, layer, _x.AsSpan(0, rows * cols), batch.Start, rows, ref _y);
        }

        /// <summary>Solves the layers at cuts [<paramref name="from"/>, <paramref name="to"/>), writes their weights and releases their Grams.</summary>
        public int Solve(int from, int to)
        {
            var solves = Enumerable.Range(from, to - from).Where(_open.ContainsKey).SelectMany(c => _open[c].Problems()).ToList();
            try
            {
                return owner.Solve(solves.Select(p => p.Problem).ToList(), solves.Select(p => p.Owner).ToList(), graph, index);
            }
            finally
            {
                for (int c = from; c < to; c++)
                    if (_open.Remove(c, out var layer)) layer.Dispose();
                // Each stage drops Grams of up to hundreds of MB; left to itself the GC let a ResNet50 polish reach twice
                // its live memory in large-object garbage, so it is collected here, where a pause costs nothing.
                using (ReconProfile.Time("gc"))
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            }
        }

        public void Dispose()
        {
            foreach (var l in _open.Values) l.Dispose();
            _open.Clear();
        }
    }

    /// <summary>
    /// Adds X rows of a layer with the original network's outputs at the same rows, restricted to the kept
    /// output channels, as the targets (<paramref name="yk"/> is a scratch buffer grown as needed).
    /// </summary>
    private static void AddWithTargets(LayerFeatures original, LayerGram acc, ReadOnlySpan<float> x, int start, int rows, ref float[] yk)
    {
        var (plan, keptOut) = (original.Plan, acc.KeptOut);
        int m = keptOut.Length;
        if (yk.Length < rows * m) yk = new float[rows * m];
        var targets = original.Outputs(start, rows);
        for (int r = 0; r < rows; r++)
        {
            var src = targets.Slice(r * plan.OutChannels, plan.OutChannels);
            var dst = yk.AsSpan(r * m, m);
            for (int j = 0; j < m; j++) dst[j] = src[keptOut[j]];
        }
        acc.Add(x, yk.AsSpan(0, rows * m), rows);
    }
}
