using System.Diagnostics;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

// Opening: load, split the data, plan every layer, size the memory, measure the unpruned model and collect its features.
internal sealed partial class CalibratedModel
{
    private CalibratedModel(PruneOptions options, PrunableStructure structure, IReconEngine engine, SessionOptions ortOptions, ImageSet calib,
        ImageSet eval, IDataSource[] sources, int[] labels, double baseline, OriginalFeatures features, double collectSeconds, MemoryPlan memory)
    {
        Options = options;
        Structure = structure;
        _engine = engine;
        _ortOptions = ortOptions;
        _calib = calib;
        _eval = eval;
        _sources = sources;
        _labels = labels;
        _features = features;
        BaselineAccuracy = baseline;
        CollectSeconds = collectSeconds;
        OriginalCost = ModelCost.Compute(structure.Model);
        Memory = memory;
        _recon = new Reconstructor(features.Layers, engine, new LstsqOptions { Alpha = options.Alpha }, calib, ortOptions, memory.Batch,
            options.CorrectiveImages > 0 ? options.CorrectiveImages : int.MaxValue, structure.Shapes, options.FrontierBudgetBytes >= 0 ? options.FrontierBudgetBytes : memory.FrontierBudget,
            options.SpillFolder ?? Path.GetTempPath(), options.PrefixPasses);
    }

    /// <summary>Opens the model and data, measures the unpruned model and collects its features.</summary>
    /// <exception cref="ModelFormatException">The model is invalid or unsupported.</exception>
    /// <exception cref="DataException">The data is invalid.</exception>
    /// <exception cref="MemoryLimitException">The Grams and kept outputs alone exceed the memory limit.</exception>
    public static CalibratedModel Open(PruneOptions options, IProgress<string>? progress = null, CancellationToken cancel = default)
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
        var plans = LayerPlan.Build(structure, options.PatchesPerImage, options.TokensPerImage);
        var owned = new List<IDisposable>();
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
            ImageInput.CheckLabels(evalSource, ImageInput.Classes(structure.Index, structure.Shapes));
            progress?.Report($"reading {split.Calibration.Length} calibration and {split.Evaluation.Length} evaluation images");
            var calib = new ImageSet(data, split.Calibration, options.MemoryBudgetBytes / 2, cancel);
            var eval = new ImageSet(evalSource, split.Evaluation, options.MemoryBudgetBytes / 2, cancel);
            var labels = Enumerable.Range(0, eval.Count).Select(eval.Label).ToArray();
            int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
            var ortOptions = SessionFactory.Create(options.EvalOnCuda, threads, out var cudaReason);
            owned.Add(ortOptions);
            var engine = ReconEngine.Create(options.Device);
            owned.Add(engine);
            bool keep = options.KeepsLayerOutputs;
            var memory = MemoryPlan.For(plans, structure.Shapes, structure.Model.Proto.CalculateSize(), calib.Count, keep, options.BatchSize, fixedBatch,
                options.MemoryLimitBytes > 0 ? options.MemoryLimitBytes : MemoryPlan.MachineLimit(), model.DisplayName);

            var (pred, _, _) = Evaluator.Predict(structure.Model.Proto, eval, ortOptions, options.BatchSize, cancel);
            var warnings = new List<string>(split.Warnings);
            if (cudaReason is not null) warnings.Add(cudaReason);
            if (!eval.HasLabels)
            {
                pred.CopyTo(labels, 0);
                warnings.Add("the data has no labels: accuracy is top-1 agreement with the unpruned model");
            }
            double baseline = Evaluator.Accuracy(pred, labels);
            progress?.Report($"unpruned accuracy {baseline:P2}; collecting features of {plans.Count} layers");
            var sw = Stopwatch.StartNew();
            var features = OriginalFeatures.Collect(structure.Model.Proto, plans, calib, ortOptions, memory.Batch, unchecked((ulong)options.Seed + 1),
                keep, engine, cancel);
            var m = new CalibratedModel(options, structure, engine, ortOptions, calib, eval, sources.ToArray(), labels, baseline, features,
                sw.Elapsed.TotalSeconds, memory);
            m.Warnings.AddRange(warnings);
            return m;
        }
        catch
        {
            foreach (var o in owned) o.Dispose();
            foreach (var src in sources) src.Dispose();
            throw;
        }
    }
}
