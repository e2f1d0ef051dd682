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
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime CPU threads (0: all cores)", DefaultValueFactory = _ => 0 };

    public void AddTo(Command c, bool includeRecon = true)
    {
        c.Options.Add(Data);
        c.Options.Add(Labels);
        c.Options.Add(EvalData);
        c.Options.Add(Calib);
        c.Options.Add(Eval);
        if (includeRecon) c.Options.Add(Recon);
        c.Options.Add(Device);
        c.Options.Add(Threads);
        c.Options.Add(InputShape);
    }

    /// <summary>Options for a session over <paramref name="model"/>.</summary>
    /// <exception cref="UsageException">A count or device is invalid.</exception>
    public PruneOptions Build(ParseResult pr, string model, Graph.Pruning.SelectionMethod select, int seed, string? dataOverride = null)
    {
        var data = dataOverride ?? pr.GetValue(Data) ?? throw new UsageException("--data is required");
        int calib = pr.GetValue(Calib), eval = pr.GetValue(Eval);
        if (calib < 1) throw new UsageException($"--calib {calib}: must be at least 1");
        if (eval < 1) throw new UsageException($"--eval {eval}: must be at least 1");
        var device = ParseDevice(pr.GetValue(Device)!);
        return new PruneOptions
        {
            ModelPath = model,
            DataPath = data,
            LabelsPath = pr.GetValue(Labels),
            EvalDataPath = pr.GetValue(EvalData),
            Calib = calib,
            Eval = eval,
            Recon = pr.GetValue(Recon),
            Seed = seed,
            Select = select,
            Device = device,
            EvalOnCuda = device == ComputeDevice.Cuda || (device == ComputeDevice.Auto && CudaLikely()),
            Threads = Math.Max(0, pr.GetValue(Threads)),
            InputShapes = InputShapeOption.Parse(pr, InputShape),
        };
    }

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
