using System.Globalization;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using FastPrune.Search;

namespace FastPrune;

/// <summary>
/// A search (<see cref="Pruner.Search"/>): the model and data, the search's own settings, and how the written models
/// are reconstructed and measured. Every default is the one the fastprune command's <c>run</c> shows in its help.
/// </summary>
public sealed record SearchSettings
{
    // The pipeline's own options are the one source of every default below.
    private static readonly RunOptions Pipeline = new() { Prune = new() { ModelPath = "", DataPath = "" }, OutDir = "" };

    /// <summary>Default of <see cref="Budget"/> (the paper's 1564 subnets).</summary>
    public static int DefaultBudget => Pipeline.Budget;

    /// <summary>Default of <see cref="LatencySource"/> with <see cref="CostObjective.Latency"/>: subnets ranked from the
    /// per-layer table, the written models re-measured (bench/README.md, *Latency search against MACs search*: it wrote the
    /// same models as <see cref="LatencySource.Table"/> at the same cost, and its written speedups are measurements).</summary>
    public static global::FastPrune.Search.LatencySource DefaultLatencySource => Pipeline.LatencySource;

    /// <summary>
    /// Default of <see cref="Round"/>: with the MACs or params objective, 8 — the width multiple the engines run fast. ONNX
    /// Runtime CPU runs a convolution blocked (NCHWc) only when its input channels are a multiple of 4 and pads it to its
    /// block of 8 (AVX2) or 16 (AVX-512) floats; any other width takes a plain path up to 1.4x slower. On the bundled CNN
    /// samples the 50 %-MACs models of six unrounded searches ran at 0.73–0.90x the original's speed, rounded to 8 at
    /// 1.25–2.16x, as accurate within 0.5 points but for one (bench/README.md, <i>Rounding by default</i>). NVIDIA's tensor
    /// cores want multiples of 8 too (not measured here). With the latency objective, 1: the measurements find what the
    /// engine runs fast.
    /// </summary>
    public static int DefaultRound(CostObjective objective) => objective == CostObjective.Latency ? 1 : 8;

    /// <summary>Default of <see cref="FinalRecon"/>: the written models are few, so they get the exact layer-by-layer
    /// reconstruction over every calibration image.</summary>
    public const ReconMode DefaultFinalRecon = ReconMode.Exact;

    /// <summary>Model, data, selection, seed and device. Its <see cref="WorkspaceOptions.Recon"/> is not used: the search
    /// ranks with <see cref="SearchRecon"/> and writes with <see cref="FinalRecon"/>.</summary>
    public required WorkspaceOptions Workspace { get; init; }
    /// <summary>Output folder (default null: a new folder in the current one, named after the model and the start time).</summary>
    public string? OutDir { get; init; }
    /// <summary>Continue the run in <see cref="OutDir"/> (default: false).</summary>
    public bool Resume { get; init; }
    /// <summary>Subnets evaluated in total (default: <see cref="DefaultBudget"/>).</summary>
    public int Budget { get; init; } = Pipeline.Budget;
    /// <summary>Cost targets as fractions of the original in (0, 1]; one model is written per target (default: 0.5, 0.3).</summary>
    public IReadOnlyList<double> Targets { get; init; } = Pipeline.Targets;
    /// <summary>NSGA-III (default) or random.</summary>
    public SearchKind Search { get; init; } = Pipeline.Search;
    /// <summary>The cost minimised beside the error (default: MACs). <see cref="CostObjective.Latency"/> measures every subnet on
    /// <see cref="BenchEngine"/> at <see cref="BenchBatch"/>; <see cref="Targets"/> are then fractions of the original's latency.</summary>
    public CostObjective Objective { get; init; } = Pipeline.Objective;
    /// <summary>With <see cref="CostObjective.Latency"/>: each subnet timed whole (<see cref="LatencySource.Measure"/>),
    /// or predicted from a per-layer latency table, with the written models re-measured (<see cref="LatencySource.Mix"/>) or
    /// not (<see cref="LatencySource.Table"/>). Null (default): <see cref="DefaultLatencySource"/> in a latency run; a value
    /// given with another objective is refused.</summary>
    public global::FastPrune.Search.LatencySource? LatencySource { get; init; }
    /// <summary>Reconstruction that ranks subnets in the search (default: <see cref="ReconMode.Paper"/>, the fast one).</summary>
    public ReconMode SearchRecon { get; init; } = Pipeline.SearchRecon;
    /// <summary>Reconstruction of the written models (default: <see cref="DefaultFinalRecon"/>).</summary>
    public ReconMode FinalRecon { get; init; } = DefaultFinalRecon;
    /// <summary>Data the search never sees, to measure the written models on (default: none).</summary>
    public string? TestDataPath { get; init; }
    /// <summary>Channel counts rounded to multiples of this (1: every count, the paper's search space). Null (default):
    /// <see cref="DefaultRound"/> of the objective.</summary>
    public int? Round { get; init; }
    /// <summary>Measure the written models' throughput for front.json (default: true).</summary>
    public bool Bench { get; init; } = true;
    /// <summary>Engine of that measurement (default null: the evaluation device's, ort-cuda on CUDA, else ort-cpu).</summary>
    public InferenceEngine? BenchEngine { get; init; }
    /// <summary>Images per timed run of that measurement and of the latency objective (default 64; a model whose graph fixes
    /// its batch runs at that batch).</summary>
    public int BenchBatch { get; init; } = Pipeline.BenchBatch;

    /// <summary>The options a run folder stored, when these settings were read from one: the pipeline's settings this
    /// record does not expose (population, offspring, polish candidates, …) are taken from them.</summary>
    internal RunOptions? Stored { get; init; }

    /// <summary>The default run folder for a model started now: <c>NAME-yyyyMMdd-HHmmss</c> in the current folder.</summary>
    public static string DefaultOutDir(string modelPath) =>
        $"{Path.GetFileNameWithoutExtension(modelPath)}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>The pipeline's options, every value checked.</summary>
    /// <exception cref="FastPruneException">A value cannot be honoured.</exception>
    internal RunOptions ToPipeline()
    {
        if (Budget < 1) throw Failures.Invalid($"--budget {Budget}: must be at least 1");
        if (Round is < 1) throw Failures.Invalid($"--round {Round}: channel counts are rounded to multiples of 1 (no rounding) or more");
        if (Targets.Count == 0) throw Failures.Invalid("--targets: no target given");
        foreach (var t in Targets)
            if (!(t > 0 && t <= 1)) throw Failures.Invalid($"--targets: '{t.ToString(CultureInfo.InvariantCulture)}' is not a fraction in (0, 1]");
        if (Resume && OutDir is null) throw Failures.Invalid("--resume: no run folder given");
        if (BenchBatch < 1) throw Failures.Invalid($"--bench-batch {BenchBatch}: must be at least 1");
        if (Objective == CostObjective.Latency && !Bench)
            throw Failures.Invalid("--objective latency measures every subnet on the bench engine: it cannot be given with --no-bench");
        if (LatencySource is { } source && Objective != CostObjective.Latency)
            throw Failures.Invalid($"--latency-source {source.ToString().ToLowerInvariant()}: only a run with --objective latency knows latencies");
        var prune = Workspace.ToPipeline(Stored?.Prune) with { Recon = FinalRecon };
        var engine = BenchEngine ?? (prune.EvalOnCuda ? InferenceEngine.OrtCuda : InferenceEngine.OrtCpu);
        return (Stored ?? Pipeline) with
        {
            Prune = prune,
            OutDir = OutDir ?? DefaultOutDir(Workspace.ModelPath),
            Resume = Resume,
            Budget = Budget,
            Targets = Targets.ToList(),
            Search = Search,
            Objective = Objective,
            LatencySource = LatencySource ?? DefaultLatencySource,
            SearchRecon = SearchRecon,
            TestDataPath = TestDataPath,
            Round = Round ?? DefaultRound(Objective),
            BenchEngine = Bench ? engine : null,
            BenchBatch = BenchBatch,
        };
    }

    /// <summary>The settings a run folder stored, as a resumed run takes them.</summary>
    internal static SearchSettings FromPipeline(RunOptions o) => new()
    {
        Workspace = WorkspaceOptions.FromPipeline(o.Prune),
        OutDir = o.OutDir,
        Resume = o.Resume,
        Budget = o.Budget,
        Targets = o.Targets,
        Search = o.Search,
        Objective = o.Objective,
        LatencySource = o.Objective == CostObjective.Latency ? o.LatencySource : null,
        SearchRecon = o.SearchRecon,
        FinalRecon = o.Prune.Recon,
        TestDataPath = o.TestDataPath,
        Round = o.Round,
        Bench = o.BenchEngine is not null,
        BenchEngine = o.BenchEngine,
        BenchBatch = o.BenchBatch,
        Stored = o,
    };
}
