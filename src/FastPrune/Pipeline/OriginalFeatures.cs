using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// The features of the original network for every <see cref="LayerPlan"/>, collected in one forward pass over the
/// calibration images and read-only afterwards: the reconstructor solves paper mode from their Grams and corrective
/// and exact modes against their kept outputs. Owns (and disposes) each layer's <see cref="LayerFeatures"/>.
/// </summary>
internal sealed class OriginalFeatures : IDisposable
{
    private readonly LayerFeatures[] _layers;

    private OriginalFeatures(LayerFeatures[] layers, bool keptOutputs)
    {
        _layers = layers;
        KeptOutputs = keptOutputs;
    }

    /// <summary>Each plan's features, in plan order.</summary>
    public IReadOnlyList<LayerFeatures> Layers => _layers;

    /// <summary>True when the original layer outputs were kept (corrective and exact reconstruction need them).</summary>
    public bool KeptOutputs { get; }

    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="calib"/> in batches of <paramref name="batchSize"/>, drawing
    /// each plan's rows from <paramref name="drawSeed"/>, and accumulates every dense layer's Gram on
    /// <paramref name="engine"/>; with <paramref name="keepOutputs"/> the original outputs at the drawn rows are kept.
    /// </summary>
    /// <exception cref="Graph.ModelFormatException">A layer's tensors as run do not fit its plan.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is kept.</exception>
    public static OriginalFeatures Collect(Graph.Onnx.ModelProto model, IReadOnlyList<LayerPlan> plans, ImageSet calib, SessionOptions ortOptions,
        int batchSize, ulong drawSeed, bool keepOutputs, IReconEngine engine, CancellationToken cancel)
    {
        var layers = new LayerFeatures[plans.Count];
        try
        {
            // grouped convs have no Gram of the original network (LayerPlan.Groups): only their outputs are kept, as targets
            for (int i = 0; i < plans.Count; i++)
            {
                var p = plans[i];
                layers[i] = new LayerFeatures(p, calib.Count, p.Groups == 1 ? engine.CreateAccumulator(p.Cols, p.OutChannels, p.HasBias) : null, keepOutputs);
            }
            // Every layer's input and output come back from one run, so the batch is sized by the memory plan.
            FeatureCollector.Run(model, layers, Enumerable.Range(0, plans.Count).ToList(), calib, ortOptions, batchSize, drawSeed,
                i => plans[i].InChannels, (i, x, y, rows, start, _) => layers[i].Add(x, y, rows, start), cancel);
            // The original Grams are only gathered from now on: drop the accumulation buffers (most of their memory).
            foreach (var l in layers) l.Complete();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            return new OriginalFeatures(layers, keepOutputs);
        }
        catch
        {
            foreach (var l in layers) l?.Dispose();
            throw;
        }
    }

    /// <summary>Releases every layer's Gram.</summary>
    public void Dispose()
    {
        foreach (var l in _layers) l.Dispose();
    }
}
