using System.Diagnostics;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// A model calibrated on its data: the unpruned model measured and the original network's features collected once
/// (<see cref="Open"/>), then any genome turned into a pruned, reconstructed and evaluated subnet. The prune, eval and
/// run commands all go through it (via the public <c>Workspace</c> and <c>Pruner</c>). Not thread-safe.
/// </summary>
internal sealed partial class CalibratedModel : IDisposable
{
    private readonly IReconEngine _engine;
    private readonly SessionOptions _ortOptions;
    private readonly ImageSet _calib;
    private readonly ImageSet _eval;
    private readonly int[] _labels;
    private readonly IDataSource[] _sources;
    private readonly OriginalFeatures _features;
    private readonly Reconstructor _recon;

    /// <summary>The memory estimate the model was sized by.</summary>
    public MemoryPlan Memory { get; }

    /// <summary>The options it was opened with.</summary>
    public PruneOptions Options { get; }

    /// <summary>The model's search space.</summary>
    public PrunableStructure Structure { get; }

    /// <summary>MACs and params of the unpruned model.</summary>
    public ModelCost OriginalCost { get; }

    /// <summary>Accuracy of the unpruned model on the evaluation split (1 when measured as agreement).</summary>
    public double BaselineAccuracy { get; }

    /// <summary>True when the data has no labels and accuracy is top-1 agreement with the unpruned model.</summary>
    public bool AgreementOnly => !_eval.HasLabels;

    /// <summary>True when the original layer outputs were kept, so corrective and exact reconstruction can run.</summary>
    public bool KeptLayerOutputs => _features.KeptOutputs;

    /// <summary>Calibration and evaluation image counts.</summary>
    public (int Calib, int Eval) Counts => (_calib.Count, _eval.Count);

    /// <summary>Notes for the user: fewer images than asked, CUDA unavailable, and so on.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The reconstruction backend, e.g. "cpu (managed, 2 threads)".</summary>
    public string ReconDevice => _engine.Name;

    /// <summary>Seconds spent collecting the original features.</summary>
    public double CollectSeconds { get; }

    /// <summary>Prunes, reconstructs and evaluates <paramref name="genome"/>.</summary>
    /// <exception cref="GenomeException">The genome does not fit the model's genes.</exception>
    /// <exception cref="LstsqException">A least-squares system stays singular.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="mode"/> is corrective or exact but the original layer outputs were not kept (<see cref="PruneOptions.KeepLayerOutputs"/>).</exception>
    public SubnetResult Evaluate(int[] genome, ReconMode? mode = null, bool keepModel = false, CancellationToken cancel = default)
    {
        var (pm, model, escalations, tSurgery, tRecon) = Build(genome, mode, cancel);
        var (pred, tSession, tInfer) = Evaluator.Predict(model, _eval, _ortOptions, Options.BatchSize, cancel);
        return Result(genome, pm, pred, new SubnetTimings(tSurgery, tRecon, tSession, tInfer), keepModel ? model : null, escalations);
    }

    /// <summary>
    /// Prunes and reconstructs <paramref name="genome"/>, writes the model to <paramref name="path"/> (atomically), then
    /// evaluates the file that was written: the accuracy reported is that of the model on disk.
    /// </summary>
    /// <exception cref="GenomeException">The genome does not fit the model's genes.</exception>
    /// <exception cref="LstsqException">A least-squares system stays singular.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public SubnetResult Write(int[] genome, string path, ReconMode? mode = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (pm, model, escalations, tSurgery, tRecon) = Build(genome, mode, cancel);
        AtomicFile.Write(path, s => Google.Protobuf.MessageExtensions.WriteTo(model, s));
        var (pred, tSession, tInfer) = Evaluator.Predict(path, model.Graph.Output[0].Name, _eval, _ortOptions, Options.BatchSize, cancel);
        return Result(genome, pm, pred, new SubnetTimings(tSurgery, tRecon, tSession, tInfer), null, escalations);
    }

    /// <summary>Surgery for <paramref name="genome"/>: the pruned model with the original weights sliced, validated.</summary>
    /// <exception cref="GenomeException">The genome does not fit the model's genes.</exception>
    public PrunedModel Prune(int[] genome) => Subnet(genome).Pruned;

    // Selection, surgery and the cost of the result in one call (the costs count shapes, which reconstruction does not change).
    private PrunedSubnet Subnet(int[] genome)
    {
        ArgumentNullException.ThrowIfNull(genome);
        return PrunedSubnet.Build(Structure, genome, Options.Select, Options.Seed);
    }

    /// <summary>The weights of <paramref name="pruned"/> re-solved in <paramref name="mode"/>, as a new model (see
    /// <see cref="Reconstructor.Reconstruct"/>); <paramref name="pruned"/> is left as surgery made it.</summary>
    /// <exception cref="LstsqException">A least-squares system stays singular.</exception>
    /// <exception cref="InvalidOperationException">Corrective or exact, and the original layer outputs were not kept.</exception>
    public (Graph.Onnx.ModelProto Model, int Escalations) Reconstruct(PrunedModel pruned, ReconMode mode, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(pruned);
        RefuseWithoutOutputs(mode);
        return _recon.Reconstruct(pruned, mode, Options.CorrectivePasses, cancel);
    }

    // Without the original outputs corrective/exact would solve nothing (and ask ONNX Runtime for no outputs).
    private void RefuseWithoutOutputs(ReconMode mode)
    {
        if (mode is ReconMode.Corrective or ReconMode.Exact && !KeptLayerOutputs)
            throw new InvalidOperationException($"{mode} reconstruction needs the original layer outputs, which this model did not keep " +
                $"(open it with KeepLayerOutputs, or with Recon = Corrective or Exact; this one: {Options.Recon})");
    }

    private (PrunedSubnet Pruned, Graph.Onnx.ModelProto Model, int Escalations, double Surgery, double Recon) Build(int[] genome, ReconMode? mode, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var recon = mode ?? Options.Recon;
        RefuseWithoutOutputs(recon);
        var sw = Stopwatch.StartNew();
        var pm = Subnet(genome);
        double tSurgery = sw.Elapsed.TotalSeconds;
        sw.Restart();
        // Refused above, before surgery: the reconstructor is called directly rather than through Reconstruct's second check.
        var (model, escalations) = _recon.Reconstruct(pm.Pruned, recon, Options.CorrectivePasses, cancel);
        return (pm, model, escalations, tSurgery, sw.Elapsed.TotalSeconds);
    }

    // Costs count shapes, which reconstruction does not change: they are surgery's.
    private SubnetResult Result(int[] genome, PrunedSubnet pm, int[] predictions, SubnetTimings times, Graph.Onnx.ModelProto? keep, int escalations)
    {
        var cost = pm.Cost;
        return new SubnetResult(genome, cost.Macs, cost.Params, Evaluator.Accuracy(predictions, _labels), times,
            keep is null ? null : OnnxModel.FromProto(keep, null, Structure.Model.ShapeOptions), escalations);
    }

    /// <summary>Releases the data sources, the collected features, the reconstruction engine and ONNX Runtime options.</summary>
    public void Dispose()
    {
        _features.Dispose();
        _engine.Dispose();
        _ortOptions.Dispose();
        foreach (var s in _sources) s.Dispose();
    }
}
