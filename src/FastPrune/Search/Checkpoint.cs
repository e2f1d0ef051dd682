using System.Security.Cryptography;
using System.Text.Json;
using FastPrune.Graph;

namespace FastPrune.Search;

/// <summary>
/// What a run folder must agree with to be resumed: the model's hash and every option that changes
/// the history. The history itself (history.csv, rewritten atomically after every subnet) is the rest
/// of the checkpoint: resuming replays it through the search, which then asks exactly what an
/// uninterrupted run would have. The checkpoint also keeps the run's whole options (<see cref="Run"/>, paths made
/// absolute), so that <c>--resume DIR</c> alone can continue it. Format 3 is the first whose data split comes from
/// FastPrune's own generator; earlier formats drew it with <see cref="System.Random"/>, so their runs are refused
/// rather than continued on other images.
/// </summary>
internal sealed record Checkpoint(string Format, string ModelSha256, string Options, JsonElement? Run = null)
{
    public const string FileName = "checkpoint.json";
    private const string CurrentFormat = "fastprune-run/3";
    private static readonly string[] EarlierFormats = ["fastprune-run/1", "fastprune-run/2"];

    public static Checkpoint For(RunOptions o, string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        var hash = Convert.ToHexString(SHA256.HashData(stream));
        var p = o.Prune;
        // Only what decides the history; paths and output folders may move between runs.
        string options = string.Join(';', p.Calib, p.Eval, p.Seed, p.Select, p.Recon, p.CorrectivePasses, p.PatchesPerImage,
            p.TokensPerImage, p.Alpha, o.Budget, string.Join('/', o.Targets), o.Search, o.Objective, o.SearchRecon, o.Population, o.Offspring, o.Round);
        // Measured latencies depend on where and how they were measured; a resumed run must measure the same way.
        if (o.Objective == CostObjective.Latency)
            options += $";latency:{o.BenchEngine?.ToString() ?? "OrtCpu"}:{o.BenchBatch}:{p.Threads}"
                + (o.LatencySource == LatencySource.Measure ? "" : $":{o.LatencySource}"); // a measured run's checkpoint reads as before
        var stored = o with
        {
            Resume = false,
            OutDir = Path.GetFullPath(o.OutDir),
            TestDataPath = Full(o.TestDataPath),
            Prune = p with { ModelPath = Path.GetFullPath(p.ModelPath), DataPath = Path.GetFullPath(p.DataPath), LabelsPath = Full(p.LabelsPath), EvalDataPath = Full(p.EvalDataPath) },
        };
        return new Checkpoint(CurrentFormat, hash, options, JsonSerializer.SerializeToElement(stored));
    }

    /// <summary>The options the run was started with (absolute paths), or null where they are missing.</summary>
    /// <exception cref="CheckpointException">The stored options are corrupt.</exception>
    public RunOptions? StoredOptions(string dir)
    {
        if (Run is not { } run) return null;
        try
        {
            return run.Deserialize<RunOptions>() ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{Path.Combine(dir, FileName)}: corrupt run options ({e.Message.Split('.')[0]})");
        }
    }

    public void Save(string dir) => AtomicFile.WriteText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this));

    /// <summary>Reads the checkpoint of <paramref name="dir"/>.</summary>
    /// <exception cref="CheckpointException">The checkpoint is missing, corrupt or of another format.</exception>
    public static Checkpoint Load(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no checkpoint to resume");
        try
        {
            var c = JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path));
            if (c?.Format is { } f && EarlierFormats.Contains(f))
                throw new CheckpointException($"{path}: written by an earlier FastPrune ({f}) that split the data differently; " +
                    "its history cannot be continued (start a new run)");
            if (c is null || c.Format != CurrentFormat || c.ModelSha256 is null || c.Options is null)
                throw new CheckpointException($"{path}: not a FastPrune run checkpoint");
            return c;
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: corrupt checkpoint ({e.Message.Split('.')[0]})");
        }
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}

/// <summary>A run folder that cannot be resumed: no checkpoint, a corrupt one, or one of another model or options.</summary>
internal sealed class CheckpointException(string message) : Exception(message);
