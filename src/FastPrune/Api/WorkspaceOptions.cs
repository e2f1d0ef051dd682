using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune;

/// <summary>
/// A model and its data, and how subnets of it are reconstructed and evaluated: what <see cref="Workspace.Open"/>,
/// <see cref="Pruner.Evaluate"/>, <see cref="Pruner.Prune"/> and (inside <see cref="SearchSettings"/>) a search take.
/// Every default is the one the fastprune command shows in its help.
/// </summary>
public sealed record WorkspaceOptions
{
    // The pipeline's own options are the one source of every default below.
    private static readonly PruneOptions Pipeline = new() { ModelPath = "", DataPath = "" };

    /// <summary>The ONNX model file.</summary>
    public string ModelPath { get; init; } = "";
    /// <summary>Shapes of graph inputs whose dims are dynamic, as <c>[NAME:]D0,D1,…</c> (e.g. <c>1,3,224,224</c>); for
    /// analysis only: written models keep their dynamic dims. Default: none (IDX and .npy data fix H and W).</summary>
    public IReadOnlyList<string> InputShapes { get; init; } = [];
    /// <summary>Calibration (and, without <see cref="EvalDataPath"/>, evaluation) data: an image folder, .npy (NCHW float32)
    /// or IDX images file. Null: none (<see cref="Pruner.Prune"/> then slices weights without reconstruction).</summary>
    public string? DataPath { get; init; }
    /// <summary>Labels of <see cref="DataPath"/> when they are not found beside it (.npy int64 or IDX). Default: none.</summary>
    public string? LabelsPath { get; init; }
    /// <summary>Separate evaluation data. Default: none (a disjoint split of <see cref="DataPath"/>).</summary>
    public string? EvalDataPath { get; init; }
    /// <summary>Calibration images (paper and default: 1500).</summary>
    public int Calib { get; init; } = Pipeline.Calib;
    /// <summary>Evaluation images (paper and default: 5000).</summary>
    public int Eval { get; init; } = Pipeline.Eval;
    /// <summary>Seed of the data split, of patch/token sampling and of random channel selection: 0 (default) to
    /// <see cref="int.MaxValue"/>.</summary>
    public int Seed { get; init; } = Pipeline.Seed;
    /// <summary>Which channels a smaller count keeps (default: <see cref="SelectionRule.L1"/>).</summary>
    public SelectionRule Select { get; init; } = Pipeline.Select == SelectionMethod.L1 ? SelectionRule.L1 : SelectionRule.Random;
    /// <summary>Reconstruction of a pruned subnet's weights (default: <see cref="ReconMode.Corrective"/>).</summary>
    public ReconMode Recon { get; init; } = Pipeline.Recon;
    /// <summary>Keep the original layer outputs at the sampled rows, which corrective and exact reconstruction solve
    /// against, so that a workspace opened for <see cref="ReconMode.Paper"/> can also evaluate in those modes (memory:
    /// calibration images × rows per image × output channels, per layer). Default null: kept when <see cref="Recon"/> is
    /// <see cref="ReconMode.Corrective"/> or <see cref="ReconMode.Exact"/>.</summary>
    public bool? KeepLayerOutputs { get; init; } = Pipeline.KeepLayerOutputs;
    /// <summary>Where reconstruction and evaluation run (default: <see cref="ComputeTarget.Auto"/>).</summary>
    public ComputeTarget Device { get; init; } = ComputeTarget.Auto;
    /// <summary>ONNX Runtime CPU threads (default 0: all cores).</summary>
    public int Threads { get; init; } = Pipeline.Threads;
    /// <summary>Bytes of memory the work may use (default 0: what the machine or container allows); work whose Grams and
    /// stored outputs cannot fit is refused before it starts.</summary>
    public long MemoryLimitBytes { get; init; } = Pipeline.MemoryLimitBytes;
    /// <summary>Fold BatchNormalization into the preceding convs first (default: false; older exporters leave it unfused).</summary>
    public bool FoldBatchNorm { get; init; } = Pipeline.FoldBatchNorm;

    /// <summary>The pipeline's options, every value checked; the pipeline's settings this record does not expose come
    /// from <paramref name="basis"/> (a resumed run's stored options) or are the pipeline's defaults.</summary>
    /// <exception cref="FastPruneException">A value cannot be honoured (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    internal PruneOptions ToPipeline(PruneOptions? basis = null)
    {
        var data = DataPath ?? throw Failures.Invalid($"{ModelPath}: no data given");
        if (Calib < 1) throw Failures.Invalid($"--calib {Calib}: must be at least 1");
        if (Eval < 1) throw Failures.Invalid($"--eval {Eval}: must be at least 1");
        if (Seed < 0) throw Failures.Invalid($"--seed {Seed}: a seed is a whole number from 0 to {int.MaxValue}");
        if (Threads < 0) throw Failures.Invalid($"--threads {Threads}: threads are 0 (all cores) or more");
        if (MemoryLimitBytes < 0) throw Failures.Invalid($"--memory-limit {MemoryLimitBytes / 1e9}: must be a number of GB, 0 for the machine's memory");
        var device = ToKernels(Device);
        return (basis ?? Pipeline) with
        {
            ModelPath = ModelPath,
            DataPath = data,
            LabelsPath = LabelsPath,
            EvalDataPath = EvalDataPath,
            Calib = Calib,
            Eval = Eval,
            Recon = Recon,
            KeepLayerOutputs = KeepLayerOutputs,
            Seed = Seed,
            Select = ToGraph(Select),
            Device = device,
            // ONNX Runtime's CUDA provider needs the NVIDIA driver; without it there is no point trying.
            EvalOnCuda = device == ComputeDevice.Cuda || (device == ComputeDevice.Auto && File.Exists("/proc/driver/nvidia/version")),
            Threads = Threads,
            MemoryLimitBytes = MemoryLimitBytes,
            InputShapes = ParseShapes(InputShapes),
            FoldBatchNorm = FoldBatchNorm,
        };
    }

    /// <summary>These options as a pipeline's stored options read them back (a resumed run's).</summary>
    internal static WorkspaceOptions FromPipeline(PruneOptions p) => new()
    {
        ModelPath = p.ModelPath,
        InputShapes = p.InputShapes.Select(s => s.ToString()).ToList(),
        DataPath = p.DataPath,
        LabelsPath = p.LabelsPath,
        EvalDataPath = p.EvalDataPath,
        Calib = p.Calib,
        Eval = p.Eval,
        Seed = p.Seed,
        Select = p.Select == SelectionMethod.L1 ? SelectionRule.L1 : SelectionRule.Random,
        Recon = p.Recon,
        KeepLayerOutputs = p.KeepLayerOutputs,
        Device = p.Device switch { ComputeDevice.Cpu => ComputeTarget.Cpu, ComputeDevice.Cuda => ComputeTarget.Cuda, _ => ComputeTarget.Auto },
        Threads = p.Threads,
        MemoryLimitBytes = p.MemoryLimitBytes,
        FoldBatchNorm = p.FoldBatchNorm,
    };

    internal static SelectionMethod ToGraph(SelectionRule rule) => rule switch
    {
        SelectionRule.Random => SelectionMethod.Random,
        SelectionRule.L1 => SelectionMethod.L1,
        _ => throw Failures.Invalid($"--select {rule}: expected random or l1"),
    };

    private static ComputeDevice ToKernels(ComputeTarget t) => t switch
    {
        ComputeTarget.Auto => ComputeDevice.Auto,
        ComputeTarget.Cpu => ComputeDevice.Cpu,
        ComputeTarget.Cuda => ComputeDevice.Cuda,
        _ => throw Failures.Invalid($"--device {t}: expected auto, cpu or cuda"),
    };

    /// <summary>Parsed <c>[NAME:]D0,D1,…</c> shapes.</summary>
    /// <exception cref="FastPruneException">A shape is malformed.</exception>
    internal static IReadOnlyList<InputShape> ParseShapes(IReadOnlyList<string> texts)
    {
        try
        {
            return texts.Select(InputShape.Parse).ToList();
        }
        catch (FormatException e)
        {
            throw Failures.Invalid($"--input-shape {e.Message}");
        }
    }
}
