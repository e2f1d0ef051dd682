using System.Security.Cryptography;
using System.Text.Json;
using FastPrune.Graph;

namespace FastPrune.Search;

/// <summary>
/// What a run folder must agree with to be resumed: the model's hash and every option that changes
/// the history. The history itself (history.csv, rewritten atomically after every subnet) is the rest
/// of the checkpoint: resuming replays it through the search, which then asks exactly what an
/// uninterrupted run would have.
/// </summary>
internal sealed record Checkpoint(string Format, string ModelSha256, string Options)
{
    public const string FileName = "checkpoint.json";
    private const string CurrentFormat = "fastprune-run/1";

    public static Checkpoint For(RunOptions o, string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        var hash = Convert.ToHexString(SHA256.HashData(stream));
        var p = o.Prune;
        // Only what decides the history; paths and output folders may move between runs.
        string options = string.Join(';', p.Calib, p.Eval, p.Seed, p.Select, p.Recon, p.CorrectivePasses, p.PatchesPerImage,
            p.TokensPerImage, p.Alpha, o.Budget, string.Join('/', o.Targets), o.Search, o.Objective, o.SearchRecon, o.Population, o.Offspring, o.Round);
        return new Checkpoint(CurrentFormat, hash, options);
    }

    public void Save(string dir) => AtomicFile.WriteText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this));

    /// <summary>Reads the checkpoint of <paramref name="dir"/>.</summary>
    /// <exception cref="ModelFormatException">The checkpoint is missing, corrupt or of another format.</exception>
    public static Checkpoint Load(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no checkpoint to resume");
        try
        {
            var c = JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path));
            if (c is null || c.Format != CurrentFormat) throw new CheckpointException($"{path}: not a FastPrune run checkpoint");
            return c;
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: corrupt checkpoint ({e.Message.Split('.')[0]})");
        }
    }
}

/// <summary>A run folder that cannot be resumed: no checkpoint, a corrupt one, or one of another model or options.</summary>
public sealed class CheckpointException(string message) : Exception(message);
