using FastPrune.Tests.Cli;
using FastPrune.Cli;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary><c>fastprune run</c> in-process: a small explicit run, Ctrl-C then --resume, and refused folders.</summary>
[Trait("Category", "Slow")] // whole searches or full-size networks: left out by tools/test.sh --fast
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string[] Args(params string[] more) =>
    [
        "run", SampleFiles.ResNet, "--data", SampleFiles.CalibImages, "--budget", "12", "--calib", "64", "--eval", "64",
        "--recon", "paper", "--search-recon", "paper", "--device", "cpu", "--threads", "2", "--seed", "1", "--targets", "0.5", .. more,
    ];

    [Fact]
    public void Run_SmallExplicitOptions_ExitsZeroAndWritesTheOutputs()
    {
        var dir = _dir.File("run");
        var r = CliRun.Run(Args("--out", dir));
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        Assert.Contains("12 subnets evaluated", r.Out);
        Assert.Equal(12, SearchRuns.History(dir).Length);
        foreach (var f in new[] { "history.csv", "front.json", "front.png", "checkpoint.json", "pruned-0.50.onnx" })
            Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing");
        // The summary says the measured speedup front.json holds; the widths are on run's default grid of 8.
        using var front = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "front.json")));
        var model = front.RootElement.GetProperty("models")[0];
        double speedup = model.GetProperty("speedup").GetDouble();
        Assert.Contains($"pruned-0.50.onnx: {model.GetProperty("macs").GetInt64():N0} MACs", r.Out);
        Assert.Contains($", {speedup:F2}x the original's throughput", r.Out);
        var structure = FastPrune.Graph.Pruning.PrunableStructure.Analyze(FastPrune.Graph.OnnxModel.Load(SampleFiles.ResNet));
        var genome = model.GetProperty("genome").EnumerateArray().Select(g => g.GetInt32()).ToArray();
        Assert.All(genome.Select((w, i) => (w, i)), p => Assert.True(p.w % 8 == 0 || p.w == structure.Genes[p.i].Max, $"gene {p.i + 1}: {p.w}"));
    }

    [Fact]
    public void Run_ResumeLatencyRunWithOtherThreadsEngineOrBatch_RefusedByNameExit2()
    {
        var dir = _dir.File("latency");
        var r = CliRun.Run(Args("--out", dir, "--objective", "latency", "--bench-engine", "ort-cpu", "--bench-batch", "8"));
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        // The default source (mix) predicts from the table, and the summary says what the table cost.
        Assert.Matches(@"(?m)^latency table: \d+ layer configurations; this run timed \d+ \(\d+\.\d s\), \d+ of \d+ lookups came from the table\r?$", r.Out);
        var before = CliAssert.Hashes(dir);
        foreach (var (flag, value) in new[] { ("--threads", "1"), ("--bench-engine", "ort-cuda"), ("--bench-batch", "16") })
        {
            var resumed = CliRun.Run("run", "--resume", dir, flag, value);
            Assert.True(resumed.Code == ExitCodes.Usage, resumed.ToString());
            Assert.StartsWith($"fastprune: --resume continues a run with its own options: {flag}", resumed.Err);
        }
        Assert.Equal(before, CliAssert.Hashes(dir));
    }

    /// <summary>A latency run's timings belong to the machine that made them: resumed on another CPU, the run is refused
    /// (its history would mix two machines' latencies), naming both machines, and nothing is touched.</summary>
    [Fact]
    public void Run_ResumeMeasuredLatencyRunOnAnotherMachine_RefusedNamingBoth()
    {
        var dir = _dir.File("measured");
        var r = CliRun.Run(Args("--out", dir, "--objective", "latency", "--latency-source", "measure", "--bench-batch", "8"));
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        string file = Path.Combine(dir, "latency.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        Assert.False(string.IsNullOrEmpty((string?)json["Machine"]));
        json["Machine"] = "Another CPU × 64";
        File.WriteAllText(file, json.ToJsonString());
        var before = CliAssert.Hashes(dir);

        var resumed = CliRun.Run("run", "--resume", dir);
        Assert.True(resumed.Code == ExitCodes.InvalidInput, resumed.ToString());
        Assert.Contains("latency.json: the run's latencies were measured on 'Another CPU × 64' but this machine is '", resumed.Err);
        // One error line, the last (the lines before it are the run's progress).
        Assert.Contains("latency.json", resumed.Err.Trim().Split('\n')[^1]);
        Assert.Single(resumed.Err.Split('\n'), l => l.Contains("latency.json", StringComparison.Ordinal));
        Assert.Equal(before, CliAssert.Hashes(dir));
    }

    [Fact]
    public async Task Run_CancelledMidRun_Exits130AndResumes()
    {
        var dir = _dir.File("cut");
        var history = Path.Combine(dir, "history.csv");
        using var cts = new CancellationTokenSource();
        // A dedicated thread (not the pool, which the run keeps busy) plays the user pressing Ctrl-C after 3 subnets.
        var watcher = Task.Factory.StartNew(() =>
        {
            while (!cts.IsCancellationRequested)
            {
                try
                {
                    if (File.Exists(history) && File.ReadAllLines(history).Length > 3) cts.Cancel();
                }
                catch (IOException)
                {
                    // Caught between the temp file and the rename: look again.
                }
                Thread.Sleep(5);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var r = CliRun.Run(cts.Token, Args("--out", dir));
        cts.Cancel();
        await watcher;
        Assert.True(r.Code == ExitCodes.Interrupted, r.ToString());
        Assert.Contains("--resume", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        var cut = SearchRuns.History(dir);
        Assert.InRange(cut.Length, 3, 11);
        Assert.False(File.Exists(Path.Combine(dir, "front.json")));

        // --resume alone: the run continues with the options it stored (model and data paths included).
        var resumed = CliRun.Run("run", "--resume", dir);
        Assert.True(resumed.Code == ExitCodes.Ok, resumed.ToString());
        var whole = SearchRuns.History(dir);
        Assert.Equal(12, whole.Length);
        Assert.Equal(cut, whole.Take(cut.Length));
        Assert.True(File.Exists(Path.Combine(dir, "front.json")));
    }

    [Fact]
    public void Run_CorruptCheckpointOrBusyFolder_OneLineError()
    {
        // A folder that is not empty is a file-system conflict (4); a corrupt checkpoint is invalid data (3).
        var busy = _dir.Dir("busy");
        File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        var r = CliRun.Run(Args("--out", busy));
        Assert.True(r.Code == ExitCodes.FileSystem, r.ToString());
        Assert.DoesNotContain("internal error", r.Err);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var corrupt = _dir.Dir("corrupt");
        File.WriteAllText(Path.Combine(corrupt, "checkpoint.json"), "{garbage");
        r = CliRun.Run(Args("--resume", corrupt));
        Assert.True(r.Code == ExitCodes.InvalidInput, r.ToString());
        Assert.DoesNotContain("internal error", r.Err);
        Assert.Equal("{garbage", File.ReadAllText(Path.Combine(corrupt, "checkpoint.json")));
    }

    [Fact]
    public void Run_ResumeOfAMissingFolder_FileSystemError()
    {
        var r = CliRun.Run(Args("--resume", _dir.File("nowhere")));
        Assert.True(r.Code == ExitCodes.FileSystem, r.ToString());
        Assert.DoesNotContain("   at ", r.Err);
    }

    public void Dispose() => _dir.Dispose();
}
