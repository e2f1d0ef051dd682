using System.CommandLine;
using FastPrune.Pipeline;

namespace FastPrune.Cli.Commands;

/// <summary>The data and reconstruction flags that prune, eval and run share; their defaults are the library's
/// (<see cref="WorkspaceOptions"/>), never restated here.</summary>
internal sealed class DataOptions
{
    private static readonly WorkspaceOptions Defaults = new();

    /// <summary>The options; <paramref name="reconDefault"/> and <paramref name="reconMeaning"/> say what --recon
    /// defaults to in this command (prune: the workspace's mode; run: the written models' mode).</summary>
    public DataOptions(ReconMode reconDefault, string reconMeaning)
    {
        Recon = CliIo.Choice(new Option<ReconMode>("--recon")
        {
            Description = $"{reconMeaning}: none, paper (the paper's least squares), corrective (ours) or exact (layer by layer, all calibration images)",
            DefaultValueFactory = _ => reconDefault,
        });
    }

    public Option<string?> Data { get; } = new("--data") { Description = "calibration/evaluation data: image folder, .npy (NCHW float32) or IDX images file" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "labels file (.npy int64, or IDX) when not found beside the data" };
    public Option<string?> EvalData { get; } = new("--eval-data") { Description = "separate evaluation data (default: a disjoint split of --data)" };
    public Option<int> Calib { get; } = new("--calib") { Description = "calibration images (paper: 1500)", DefaultValueFactory = _ => Defaults.Calib };
    public Option<int> Eval { get; } = new("--eval") { Description = "evaluation images (paper: 5000)", DefaultValueFactory = _ => Defaults.Eval };
    public Option<ReconMode> Recon { get; }
    public Option<string> Device { get; } = new("--device") { Description = "where reconstruction and evaluation run: auto, cpu or cuda", DefaultValueFactory = _ => Names.Of(Defaults.Device) };
    public Option<string[]> InputShape { get; } = InputShapeOption.Create();
    public Option<int> Threads { get; } = CliIo.AtLeast(new("--threads") { Description = "ONNX Runtime CPU threads (0: all cores)", DefaultValueFactory = _ => Defaults.Threads },
        0, "threads are 0 (all cores) or more");
    public Option<double> MemoryLimit { get; } = new("--memory-limit") { Description = "GB of memory the run may use (0: what the machine has); a run that cannot fit is refused before it starts", DefaultValueFactory = _ => Defaults.MemoryLimitBytes / 1e9 };

    private bool _forEval;

    /// <summary>Adds the options to <paramref name="c"/>; <paramref name="forEval"/> leaves out what only calibration uses (--calib, --recon).</summary>
    public void AddTo(Command c, bool forEval = false)
    {
        _forEval = forEval;
        c.Options.Add(Data);
        c.Options.Add(Labels);
        c.Options.Add(EvalData);
        if (!forEval) c.Options.Add(Calib);
        c.Options.Add(Eval);
        if (!forEval) c.Options.Add(Recon);
        c.Options.Add(Device);
        c.Options.Add(Threads);
        c.Options.Add(MemoryLimit);
        c.Options.Add(InputShape);
    }

    /// <summary>The workspace options the flags give, over <paramref name="model"/>.</summary>
    /// <exception cref="UsageException">The device or memory limit is not a valid value.</exception>
    public WorkspaceOptions Build(ParseResult pr, string model, SelectionRule select, int seed, string? dataOverride = null)
    {
        long memoryLimit = MemoryLimitBytes(pr.GetValue(MemoryLimit));
        var device = pr.GetValue(Device)!;
        return new WorkspaceOptions
        {
            ModelPath = model,
            DataPath = dataOverride ?? pr.GetValue(Data),
            LabelsPath = pr.GetValue(Labels),
            EvalDataPath = pr.GetValue(EvalData),
            Calib = _forEval ? Defaults.Calib : pr.GetValue(Calib),
            Eval = pr.GetValue(Eval),
            Recon = _forEval ? ReconMode.None : pr.GetValue(Recon),
            Seed = seed,
            Select = select,
            Device = Names.TryParse(device, out ComputeTarget t) ? t : throw new UsageException($"--device '{device}': expected auto, cpu or cuda"),
            Threads = pr.GetValue(Threads),
            MemoryLimitBytes = memoryLimit,
            InputShapes = pr.GetValue(InputShape) ?? [],
        };
    }

    /// <summary>--memory-limit in GB as bytes (0: the machine's memory).</summary>
    /// <exception cref="UsageException">The value is negative, not a number or absurdly large.</exception>
    public static long MemoryLimitBytes(double gb) =>
        gb >= 0 && gb <= 1e6 ? (long)(gb * 1e9) : throw new UsageException($"--memory-limit {gb}: must be a number of GB, 0 for the machine's memory");
}
