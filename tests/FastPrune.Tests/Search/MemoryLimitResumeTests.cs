using FastPrune.Tests.Cli;
using System.Globalization;
using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Pipeline;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// `--memory-limit` sizes batches only, and results do not depend on the batch, so like `--threads` it may differ on
/// `--resume`: a run resumed under a limit that gives another batch ends with the history of the uninterrupted run.
/// </summary>
public sealed class MemoryLimitResumeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string[] Args(params string[] more) =>
    [
        "run", SampleFiles.ResNet, "--data", SampleFiles.CalibImages, "--budget", "10", "--calib", "64", "--eval", "64",
        "--recon", "paper", "--search-recon", "paper", "--device", "cpu", "--threads", "2", "--seed", "4", "--targets", "0.5", "--no-bench", .. more,
    ];

    [Fact]
    public void RunResume_OtherMemoryLimitGivingAnotherBatch_SameHistoryAsUninterrupted()
    {
        var whole = _dir.File("whole");
        var r = CliRun.Run(Args("--out", whole, "--memory-limit", "64"));
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());

        // The state after 4 subnets: the checkpoint and the first rows of the history (rewritten after every subnet).
        var cut = _dir.Dir("cut");
        File.Copy(Path.Combine(whole, "checkpoint.json"), Path.Combine(cut, "checkpoint.json"));
        File.WriteAllLines(Path.Combine(cut, "history.csv"), File.ReadAllLines(Path.Combine(whole, "history.csv")).Take(5));

        using var session = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Paper, calib: 64, eval: 64) with
        {
            Seed = 4, BatchSize = 100, MemoryLimitBytes = 64_000_000_000,
        });
        long tight = BatchInvarianceTests.TightLimit(session.Memory, out _) + 2 * session.Memory.CollectBytesPerImage;
        string gb = (tight / 1e9).ToString("R", CultureInfo.InvariantCulture);
        var resumed = CliRun.Run("run", "--resume", cut, "--memory-limit", gb, "--threads", "1");

        Assert.True(resumed.Code == ExitCodes.Ok, resumed.ToString());
        Assert.Equal(SearchRuns.History(whole), SearchRuns.History(cut));
        using var front = JsonDocument.Parse(File.ReadAllText(Path.Combine(cut, "front.json")));
        Assert.InRange(front.RootElement.GetProperty("memory_limit_bytes").GetInt64(), tight - 1, tight + 1);
    }

    public void Dispose() => _dir.Dispose();
}
