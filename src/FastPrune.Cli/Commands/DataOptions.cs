using System.CommandLine;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune.Cli.Commands;

/// <summary>The data and reconstruction flags that prune, eval and run share.</summary>
internal sealed class DataOptions
{
    public Option<string?> Data { get; } = new("--data") { Description = "calibration/evaluation data: image folder, .npy (NCHW float32) or IDX images file" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "labels file (.npy int64, or IDX) when not found beside the data" };
    public Option<string?> EvalData { get; } = new("--eval-data") { Description = "separate evaluation data (default: a disjoint split of --data)" };
    public Option<int> Calib { get; } = new("--calib") { Description = "calibration images (paper: 1500)", DefaultValueFactory = _ => 1500 };
    public Option<int> Eval { get; } = new("--eval") { Description = "evaluation images (paper: 5000)", DefaultValueFactory = _ => 5000 };
    public Option<ReconMode> Recon { get; } = new("--recon") { Description = "none, paper (the paper's least squares) or corrective (ours, the default)", DefaultValueFactory = _ => ReconMode.Corrective };
    public Option<string> Device { get; } = new("--device") { Description = "where reconstruction and evaluation run: auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
    public Option<string[]> InputShape { get; } = InputShapeOption.Create();
    public Option<int> Threads { get; } = CliIo.AtLeast(new("--threads") { Description = "ONNX Runtime CPU threads (0: all cores)", DefaultValueFactory = _ => 0 },
        0, "threads are 0 (all cores) or more");
    public Option<double> MemoryLimit { get; } = new("--memory-limit") { Description = "GB of memory the run may use (0: what the machine has); a run that cannot fit is refused before it starts", DefaultValueFactory = _ => 0 };

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

    /// <summary>Options for a session over <paramref name="model"/>.</summary>
    /// <exception cref="UsageException">A count or device is invalid.</exception>
    public PruneOptions Build(ParseResult pr, string model, Graph.Pruning.SelectionMethod select, int seed, string? dataOverride = null)
    {
        var data = dataOverride ?? pr.GetValue(Data) ?? throw new UsageException("--data is required");
        int calib = _forEval ? 1 : pr.GetValue(Calib), eval = pr.GetValue(Eval);
        if (calib < 1) throw new UsageException($"--calib {calib}: must be at least 1");
        if (eval < 1) throw new UsageException($"--eval {eval}: must be at least 1");
        var device = ParseDevice(pr.GetValue(Device)!);
        long memoryLimit = MemoryLimitBytes(pr.GetValue(MemoryLimit));
        return new PruneOptions
        {
            ModelPath = model,
            DataPath = data,
            LabelsPath = pr.GetValue(Labels),
            EvalDataPath = pr.GetValue(EvalData),
            Calib = calib,
            Eval = eval,
            Recon = _forEval ? ReconMode.None : pr.GetValue(Recon),
            Seed = seed,
            Select = select,
            Device = device,
            EvalOnCuda = device == ComputeDevice.Cuda || (device == ComputeDevice.Auto && CudaLikely()),
            Threads = pr.GetValue(Threads),
            MemoryLimitBytes = memoryLimit,
            InputShapes = InputShapeOption.Parse(pr, InputShape),
        };
    }

    /// <summary>--memory-limit in GB as bytes (0: the machine's memory).</summary>
    /// <exception cref="UsageException">The value is negative, not a number or absurdly large.</exception>
    public static long MemoryLimitBytes(double gb) =>
        gb >= 0 && gb <= 1e6 ? (long)(gb * 1e9) : throw new UsageException($"--memory-limit {gb}: must be a number of GB, 0 for the machine's memory");

    private static ComputeDevice ParseDevice(string text)
    {
        try
        {
            return ReconEngine.ParseDevice(text);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--device '{text}': expected auto, cpu or cuda");
        }
    }

    // ONNX Runtime's CUDA provider needs the NVIDIA driver; without it there is no point trying.
    private static bool CudaLikely() => File.Exists("/proc/driver/nvidia/version");
}
