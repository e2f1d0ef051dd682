using System.Diagnostics;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// The library's entry point for one model and data set: load the model, split the data, collect
/// the original network's features once, then turn any genome into a reconstructed, evaluated
/// subnet. The CLI's prune, eval and run commands all go through it.
/// </summary>
internal sealed class PruningSession : IDisposable
{
    private readonly List<LayerPlan> _plans;
    private readonly IReconEngine _engine;
    private readonly SessionOptions _session;
    private readonly ImageSet _calib;
    private readonly ImageSet _eval;
    private readonly int[] _labels;
    private readonly IDataSource[] _sources;
    private readonly Reconstructor _recon;
    private bool _keptTargets;

    private PruningSession(PruneOptions options, PrunableStructure structure, IReconEngine engine, SessionOptions session,
        ImageSet calib, ImageSet eval, IDataSource[] sources, List<LayerPlan> plans, MemoryPlan memory)
    {
        Options = options;
        Structure = structure;
        _engine = engine;
        _session = session;
        _calib = calib;
        _eval = eval;
        _sources = sources;
        _plans = plans;
        _labels = Enumerable.Range(0, eval.Count).Select(eval.Label).ToArray();
        OriginalCost = ModelCost.Compute(structure.Model);
        Memory = memory;
        _recon = new Reconstructor(plans, engine, new LstsqOptions { Alpha = options.Alpha }, calib, session, memory.Batch,
            options.CorrectiveImages > 0 ? options.CorrectiveImages : int.MaxValue, structure.Shapes, options.FrontierBudgetBytes >= 0 ? options.FrontierBudgetBytes : memory.FrontierBudget,
            options.SpillFolder ?? Path.GetTempPath(), options.PrefixPasses);
    }

    /// <summary>The memory estimate the session was sized by.</summary>
    public MemoryPlan Memory { get; }

    /// <summary>The options the session was opened with.</summary>
    public PruneOptions Options { get; }

    /// <summary>The model's search space.</summary>
    public PrunableStructure Structure { get; }

    /// <summary>MACs and params of the unpruned model.</summary>
    public ModelCost OriginalCost { get; }

    /// <summary>Accuracy of the unpruned model on the evaluation split (1 when measured as agreement).</summary>
    public double BaselineAccuracy { get; private set; }

    /// <summary>True when the data has no labels and accuracy is top-1 agreement with the unpruned model.</summary>
    public bool AgreementOnly { get; private set; }

    /// <summary>Calibration and evaluation image counts.</summary>
    public (int Calib, int Eval) Counts => (_calib.Count, _eval.Count);

    /// <summary>Notes for the user: fewer images than asked, CUDA unavailable, and so on.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The reconstruction backend, e.g. "cpu (managed, 2 threads)".</summary>
    public string ReconDevice => _engine.Name;

    /// <summary>Seconds spent collecting the original features.</summary>
    public double CollectSeconds { get; private set; }

    /// <summary>Opens the model and data, measures the unpruned model and collects its features.</summary>
    /// <exception cref="ModelFormatException">The model is invalid or unsupported.</exception>
    /// <exception cref="DataException">The data is invalid.</exception>
    public static PruningSession Open(PruneOptions options, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Seed);
        progress?.Report($"loading {options.ModelPath}");
        var model = ModelLoader.Load(options.ModelPath, options.InputShapes, options.DataPath);
        if (options.FoldBatchNorm) model = BatchNormFolding.Apply(model);
        var structure = PrunableStructure.Analyze(model);
        var (shape, fixedBatch) = ImageInput.Of(structure.Index, structure.Shapes, model.DisplayName);
        // A model exported with a fixed batch (older exporters: 1) is run in batches of exactly that size.
        if (fixedBatch is { } b) options = options with { BatchSize = b };
        var sources = new List<IDataSource>();
        try
        {
            var data = DataSource.Open(options.DataPath, shape, options.Preprocess, options.LabelsPath);
            sources.Add(data);
            var evalSource = data;
            DataSplit split;
            if (options.EvalDataPath is not null)
            {
                evalSource = DataSource.Open(options.EvalDataPath, shape, options.Preprocess);
                sources.Add(evalSource);
                split = DataSplit.CreateSeparate(data.Count, evalSource.Count, options.Calib, options.Eval, options.Seed);
            }
            else split = DataSplit.Create(data.Count, options.Calib, options.Eval, options.Seed);
            progress?.Report($"reading {split.Calibration.Length} calibration and {split.Evaluation.Length} evaluation images");
            var calib = new ImageSet(data, split.Calibration, options.MemoryBudgetBytes / 2, cancel);
            var eval = new ImageSet(evalSource, split.Evaluation, options.MemoryBudgetBytes / 2, cancel);
            if (eval.HasLabels)
                ImageInput.CheckLabels(Enumerable.Range(0, eval.Count).Select(eval.Label).ToArray(), ImageInput.Classes(structure.Index, structure.Shapes), evalSource.Path);
            int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
            var sessionOptions = SessionFactory.Create(options.EvalOnCuda, threads, out var cudaReason);
            var engine = ReconEngine.Create(options.Device);
            var plans = LayerPlan.Build(structure);
            foreach (var p in plans) p.RowsPerImage = p.IsConv ? options.PatchesPerImage : options.TokensPerImage + 1;
            var memory = MemoryPlan.For(plans, structure.Shapes, structure.Model.Proto.CalculateSize(), calib.Count,
                options.Recon is ReconMode.Corrective or ReconMode.Exact, options.BatchSize, fixedBatch,
                options.MemoryLimitBytes > 0 ? options.MemoryLimitBytes : MemoryPlan.MachineLimit(), model.DisplayName);
            var s = new PruningSession(options, structure, engine, sessionOptions, calib, eval, sources.ToArray(), plans, memory);
            s.Warnings.AddRange(split.Warnings);
            if (cudaReason is not null) s.Warnings.Add(cudaReason);
            s.Measure(progress, cancel);
            return s;
        }
        catch
        {
            foreach (var src in sources) src.Dispose();
            throw;
        }
    }

    private void Measure(IProgress<string>? progress, CancellationToken cancel)
    {
        var (pred, _, _) = Evaluator.Predict(Structure.Model.Proto, _eval, _session, Options.BatchSize, cancel);
        AgreementOnly = !_eval.HasLabels;
        if (AgreementOnly)
        {
            pred.CopyTo(_labels, 0);
            Warnings.Add("the data has no labels: accuracy is top-1 agreement with the unpruned model");
        }
        BaselineAccuracy = Evaluator.Accuracy(pred, _labels);
        progress?.Report($"unpruned accuracy {BaselineAccuracy:P2}; collecting features of {_plans.Count} layers");
        var sw = Stopwatch.StartNew();
        bool keepTargets = Options.Recon is ReconMode.Corrective or ReconMode.Exact;
        _keptTargets = keepTargets;
        // grouped convs have no Gram of the original network (LayerPlan.Groups): only their outputs are kept, as targets
        foreach (var p in _plans) p.Gram = p.Groups == 1 ? _engine.CreateAccumulator(p.Cols, p.OutChannels, p.HasBias) : null;
        var all = Enumerable.Range(0, _plans.Count).ToList();
        // Every layer's input and output come back from one run, so the batch is sized by the memory plan.
        FeatureCollector.Run(Structure.Model.Proto, _plans, all, _calib, _session, Memory.Batch, unchecked((ulong)Options.Seed + 1),
            i => _plans[i].InChannels, (i, x, y, rows, start, count) =>
            {
                var plan = _plans[i];
                plan.Gram?.Add(x, y, rows);
                if (!keepTargets) return;
                plan.Targets ??= new float[(long)_calib.Count * plan.RowsPerImage * plan.OutChannels];
                y[..(rows * plan.OutChannels)].CopyTo(plan.Targets.AsSpan(start * plan.RowsPerImage * plan.OutChannels));
            }, cancel);
        // The original Grams are only gathered from now on: drop the accumulation buffers (most of their memory).
        foreach (var p in _plans) p.Gram?.Complete();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        CollectSeconds = sw.Elapsed.TotalSeconds;
    }

    /// <summary>Prunes, reconstructs and evaluates <paramref name="genome"/>.</summary>
    /// <exception cref="GenomeException">The genome does not fit the model's genes.</exception>
    /// <exception cref="LstsqException">A least-squares system stays singular.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="mode"/> is corrective or exact but the session was opened for paper or none, so it has no original outputs to solve against.</exception>
    public SubnetResult Evaluate(int[] genome, ReconMode? mode = null, bool keepModel = false, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var recon = mode ?? Options.Recon;
        // Without the stored targets corrective/exact would solve nothing (and ask ONNX Runtime for no outputs).
        if (recon is ReconMode.Corrective or ReconMode.Exact && !_keptTargets)
            throw new InvalidOperationException($"{recon} reconstruction needs a session opened with Recon = Corrective or Exact (this one: {Options.Recon})");
        var sw = Stopwatch.StartNew();
        var subnet = PrunedSubnet.Build(Structure, genome, Options.Select, Options.Seed);
        var pm = subnet.Pruned;
        double tSurgery = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var proto = pm.Model.Proto;
        int escalations = 0;
        if (recon != ReconMode.None)
        {
            // Exact, and corrective with one stage per layer, re-solve every layer paper mode would, each from inputs of
            // its already re-solved predecessors: paper weights would only be overwritten.
            if (recon == ReconMode.Paper || (recon == ReconMode.Corrective && !_recon.SolvesEachLayerAlone(proto, Options.CorrectivePasses)))
                using (ReconProfile.Time("paper-solve"))
                    escalations += _recon.Paper(pm, proto);
            if (recon == ReconMode.Corrective) escalations += _recon.Corrective(pm, proto, Options.CorrectivePasses, cancel);
            if (recon == ReconMode.Exact) escalations += _recon.Exact(pm, proto, cancel);
        }
        double tRecon = sw.Elapsed.TotalSeconds;
        var (pred, tSession, tInfer) = Evaluator.Predict(proto, _eval, _session, Options.BatchSize, cancel);
        // Reconstruction rewrites weights only, so the cost counted after surgery holds for the reconstructed model.
        var cost = subnet.Cost;
        return new SubnetResult(genome, cost.Macs, cost.Params, Evaluator.Accuracy(pred, _labels),
            new SubnetTimings(tSurgery, tRecon, tSession, tInfer), keepModel ? OnnxModel.FromProto(proto, null, Structure.Model.ShapeOptions) : null, escalations);
    }

    /// <summary>Releases the data sources, the reconstruction engine and ONNX Runtime options.</summary>
    public void Dispose()
    {
        foreach (var p in _plans) p.Dispose();
        _engine.Dispose();
        _session.Dispose();
        foreach (var s in _sources) s.Dispose();
    }
}
