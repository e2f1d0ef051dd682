using System.Diagnostics;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Zoo;
using FastPrune.Pipeline;
using FastPrune.Search;

namespace FastPrune;

/// <summary>
/// The FastPrune API in one place: inspect a model, prune it with a genome, measure its accuracy, search a Pareto
/// front (<see cref="Search"/>), benchmark models (<see cref="Benchmark"/>) and write reference networks. The fastprune
/// command calls exactly these; <see cref="Workspace"/> is the finer-grained way in (evaluate many genomes over one
/// collection of features). Every failure of the caller's input is a <see cref="FastPruneException"/>.
/// </summary>
public static partial class Pruner
{
    /// <summary>Opset, inputs and outputs, MACs, params, op counts and the search space of a model.</summary>
    /// <param name="modelPath">The ONNX model.</param>
    /// <param name="inputShapes">Shapes for dynamic inputs, as <see cref="WorkspaceOptions.InputShapes"/>.</param>
    /// <exception cref="FastPruneException">The model cannot be read, is invalid, or a shape is malformed.</exception>
    public static ModelReport Inspect(string modelPath, IReadOnlyList<string>? inputShapes = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Failures.Guard(() =>
        {
            var m = ModelLoader.Load(modelPath, WorkspaceOptions.ParseShapes(inputShapes ?? []));
            var s = ModelSummary.Of(m);
            var structure = PrunableStructure.Analyze(m);
            double prunable = PrunableMacs.Fraction(structure, ModelCost.Compute(structure.Model));
            static TensorReport Tensor(TensorSummary t) => new(t.Name, t.Type, t.Shape);
            return new ModelReport(modelPath, s.Opset, s.IrVersion, s.Producer, s.Inputs.Select(Tensor).ToList(), s.Outputs.Select(Tensor).ToList(),
                s.Macs, s.Params, s.Nodes, s.OpCounts, structure.Genes.Select(GeneInfo.Of).ToList(), structure.Frozen.ToList(), prunable);
        });
    }

    /// <summary>
    /// Applies <paramref name="genome"/> to the model and writes the smaller model to <paramref name="outputPath"/>
    /// (atomically). With <see cref="WorkspaceOptions.DataPath"/> the weights are reconstructed first
    /// (<see cref="WorkspaceOptions.Recon"/>) and the result is evaluated; without it they are sliced (data-free).
    /// </summary>
    /// <param name="options">Model, data (optional), selection, seed, reconstruction.</param>
    /// <param name="genome"><c>max</c>, one keep-ratio in (0, 1] for every gene, or one count per gene.</param>
    /// <param name="outputPath">Where to write; not the input model, its folder must exist.</param>
    /// <param name="progress">Receives one line per stage (with data).</param>
    /// <param name="cancel">Stops the work; nothing is written then.</param>
    /// <param name="round">The grid of widths (<see cref="Workspace.ParseGenome"/>): null places a keep-ratio's widths on
    /// <see cref="DefaultKeepRatioRound"/> and takes counts as given; a value places them on its own grid and refuses
    /// counts off it.</param>
    /// <exception cref="FastPruneException">Bad genome or options, invalid model or data, unwritable output, singular system.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static PruneReport Prune(WorkspaceOptions options, string genome, string outputPath, IProgress<string>? progress = null, CancellationToken cancel = default,
        int? round = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(genome);
        ArgumentNullException.ThrowIfNull(outputPath);
        if (options.DataPath is not null) return PruneWithData(options, genome, outputPath, round, progress, cancel);
        return Failures.Guard(() =>
        {
            var select = WorkspaceOptions.ToGraph(options.Select);
            if (options.Seed < 0) throw Failures.Invalid($"--seed {options.Seed}: a seed is a whole number from 0 to {int.MaxValue}");
            var shapes = WorkspaceOptions.ParseShapes(options.InputShapes);
            OutputCheck.Check(outputPath, options.ModelPath);
            var sw = Stopwatch.StartNew();
            var model = ModelLoader.Load(options.ModelPath, shapes);
            // Counted on the loaded model, so that a shape too large to count (a dimension of 2^62) is reported with its file.
            _ = ModelCost.Compute(model);
            if (options.FoldBatchNorm) model = BatchNormFolding.Apply(model);
            var structure = PrunableStructure.Analyze(model);
            // What prune writes must be usable by eval and run, which feed one image input.
            ModelInputs.Fed(structure.Index, options.ModelPath);
            var counts = ParseGenome(genome, structure, round);
            double tLoad = sw.Elapsed.TotalSeconds;
            cancel.ThrowIfCancellationRequested();
            sw.Restart();
            var (pruned, cost) = PrunedSubnet.Build(structure, counts, select, options.Seed);
            double tSurgery = sw.Elapsed.TotalSeconds;
            cancel.ThrowIfCancellationRequested();
            pruned.Model.Save(outputPath);
            return new PruneReport(outputPath, counts, cost.Macs, cost.Params, ModelCost.Compute(structure.Model).Macs, ReconMode.None, tSurgery)
            {
                LoadSeconds = tLoad,
            };
        });
    }

    /// <summary>The grid a keep-ratio genome's widths are placed on when none is asked for: run's default for the MACs
    /// objective (<see cref="SearchSettings.DefaultRound"/>), widths the engines run fast.</summary>
    public static int DefaultKeepRatioRound => SearchSettings.DefaultRound(CostObjective.Macs);

    /// <summary>A genome from text on the grid <paramref name="round"/> asks for (<see cref="Prune"/>).</summary>
    /// <exception cref="FastPruneException">The text is no genome of the model, or <paramref name="round"/> is below 1
    /// (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    internal static int[] ParseGenome(string text, PrunableStructure structure, int? round)
    {
        if (round is < 1) throw Failures.Invalid($"--round {round}: widths are rounded to multiples of 1 (no rounding) or more");
        var grid = structure.RoundedGenes(round ?? DefaultKeepRatioRound);
        var counts = Genome.Parse(text, structure.Genes, grid);
        // A grid asked for holds every count, given ones too: a count off it is refused rather than moved.
        try
        {
            if (round is not null) Genome.Validate(counts, grid);
        }
        catch (GenomeException e)
        {
            throw Failures.Invalid($"--round {round}: {e.Message}");
        }
        return counts;
    }

    private static PruneReport PruneWithData(WorkspaceOptions options, string genome, string outputPath, int? round, IProgress<string>? progress,
        CancellationToken cancel)
    {
        Failures.Guard(() => { OutputCheck.Check(outputPath, options.ModelPath); return 0; });
        using var ws = Workspace.Open(options, progress, cancel);
        var r = ws.Write(ws.ParseGenome(genome, round), outputPath, null, cancel);
        return new PruneReport(outputPath, r.Genome, r.Macs, r.Params, ws.OriginalMacs, options.Recon, r.SurgerySeconds)
        {
            Accuracy = r.Accuracy,
            BaselineAccuracy = ws.BaselineAccuracy,
            AgreementOnly = ws.AgreementOnly,
            ReconSeconds = r.ReconSeconds,
            SessionSeconds = r.SessionSeconds,
            InferSeconds = r.InferSeconds,
            ReconDevice = ws.ReconDevice,
            Warnings = ws.Warnings.ToList(),
        };
    }

    /// <summary>Top-1 accuracy of <see cref="WorkspaceOptions.ModelPath"/> on the evaluation split of its data
    /// (<see cref="WorkspaceOptions.Calib"/> and <see cref="WorkspaceOptions.Recon"/> do not apply: nothing is calibrated).</summary>
    /// <exception cref="FastPruneException">Invalid options, model or data (no labels included).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static AccuracyReport Evaluate(WorkspaceOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Failures.Guard(() =>
        {
            var r = Evaluation.Evaluate((options with { Calib = 1, Recon = ReconMode.None }).ToPipeline(), cancel);
            return new AccuracyReport(r.Accuracy, r.Count, r.ImagesPerSecond, r.Warnings);
        });
    }

    /// <summary>Names of the reference networks <see cref="WriteZooModel"/> builds.</summary>
    public static IReadOnlyList<string> ZooNames => ZooModels.Names;

    /// <summary>Opsets a reference network can be written at, and the default.</summary>
    public static (int Min, int Max, int Default) ZooOpsets => (ZooOptions.MinOpset, ZooOptions.MaxOpset, ZooOptions.Default.Opset);

    /// <summary>Writes a reference network (ResNet50, MobileNetV1, DeiT, …) with seeded random weights, validated like a loaded model.</summary>
    /// <param name="name">One of <see cref="ZooNames"/>.</param>
    /// <param name="path">Where to write (atomically).</param>
    /// <param name="seed">Seed of the weights.</param>
    /// <param name="opset">Opset (default: <see cref="ZooOpsets"/>' default); legacy_cnn is fixed at 9.</param>
    /// <param name="staticBatch">Batch fixed to 1 and constant Reshape targets instead of the dynamic batch dim.</param>
    /// <exception cref="FastPruneException">Unknown name, opset out of range, or the file cannot be written.</exception>
    public static ZooReport WriteZooModel(string name, string path, ulong seed = 0, int? opset = null, bool staticBatch = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        return Failures.Guard(() =>
        {
            // Usage errors are found before anything is built: DeiT-Base takes seconds and 350 MB.
            if (!ZooModels.Names.Contains(name, StringComparer.Ordinal))
                throw Failures.Invalid($"unknown zoo model '{name}'; known: {string.Join(", ", ZooModels.Names)}");
            if (opset is { } o && o is < ZooOptions.MinOpset or > ZooOptions.MaxOpset)
                throw Failures.Invalid($"--opset {o} is outside {ZooOptions.MinOpset}..{ZooOptions.MaxOpset}");
            ZooOptions? zoo = null;
            if (name == "legacy_cnn")
            {
                if (opset is not null || staticBatch)
                    throw Failures.Invalid("legacy_cnn is fixed at opset 9 and batch 1; --opset and --static do not apply");
            }
            else
            {
                zoo = new ZooOptions { Opset = opset ?? ZooOptions.Default.Opset, StaticBatch = staticBatch };
            }
            var model = OnnxModel.FromProto(ZooModels.Build(name, seed, zoo), path);
            model.Save(path);
            var cost = ModelCost.Compute(model);
            return new ZooReport(path, name, model.Opset, cost.Macs, cost.Params);
        });
    }

    /// <summary>True when two paths name the same file (same device and inode: hard and symbolic links, <c>a/../a</c>).</summary>
    public static bool SameFile(string a, string b) => FileStatus.SameFile(a, b);
}
