using FastPrune.Tests.Cli;
using FastPrune.Pipeline;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>One finished small run, copied by each test that corrupts or resumes it.</summary>
public sealed class FinishedRun : IDisposable
{
    private readonly TempDir _dir = new();

    public FinishedRun()
    {
        Options = SearchRuns.Options(_dir.Dir("run"), seed: 3, budget: 6);
        SearchRun.Execute(Options);
    }

    internal RunOptions Options { get; }

    /// <summary>A copy of the run folder under <paramref name="parent"/>, with options pointing at it.</summary>
    internal RunOptions CopyTo(string parent)
    {
        var dir = Path.Combine(parent, "copy");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Options.OutDir))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return Options with { OutDir = dir };
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>Cancellation at a random point, resume, and checkpoints that must not be resumed.</summary>
[Trait("Category", "Slow")] // whole searches or full-size networks: left out by tools/test.sh --fast
public sealed class ResumeTests(FinishedRun finished) : IClassFixture<FinishedRun>, IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData(4, SearchKind.Nsga3)]
    [InlineData(5, SearchKind.Random)]
    public void Execute_CancelledAtARandomPointThenResumed_SameHistoryAsUninterrupted(int seed, SearchKind kind)
    {
        var whole = SearchRuns.Options(_dir.Dir("whole"), seed, budget: 16) with { Search = kind };
        SearchRun.Execute(whole);

        int k = new Random(seed).Next(1, whole.Budget);
        var cut = whole with { OutDir = _dir.Dir("cut") };
        using var cts = new CancellationTokenSource();
        var progress = new SearchRuns.SyncProgress(p =>
        {
            if (p.Message is null && p.Evaluated >= k) cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => SearchRun.Execute(cut, progress, cts.Token));
        Assert.Equal(SearchRuns.History(whole.OutDir).Take(k), SearchRuns.History(cut.OutDir));
        Assert.False(File.Exists(Path.Combine(cut.OutDir, "front.json")));
        Assert.Empty(Directory.GetFiles(cut.OutDir, "*.tmp"));

        var result = SearchRun.Execute(cut with { Resume = true });
        Assert.Equal(whole.Budget, result.Evaluated);
        Assert.Equal(SearchRuns.History(whole.OutDir), SearchRuns.History(cut.OutDir));
        Assert.True(File.Exists(Path.Combine(cut.OutDir, "front.json")));
    }

    public static TheoryData<string> Corruptions => new()
    {
        "checkpoint-garbage", "checkpoint-missing", "checkpoint-other-format", "history-garbled-line", "history-truncated",
        "history-bad-header", "history-huge-number", "history-short-genome", "history-gene-out-of-range",
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Execute_ResumeFromCorruptCheckpoint_ThrowsCheckpoint(string corruption)
    {
        var o = finished.CopyTo(_dir.Path);
        string checkpoint = Path.Combine(o.OutDir, "checkpoint.json"), history = Path.Combine(o.OutDir, "history.csv");
        var lines = File.ReadAllLines(history);
        string[] Fields(int line) => lines[line].Split(',');
        switch (corruption)
        {
            case "checkpoint-garbage": File.WriteAllBytes(checkpoint, [0x7B, 0x22, 0xFF, 0x00, 0x13, 0x37]); break;
            case "checkpoint-missing": File.Delete(checkpoint); break;
            case "checkpoint-other-format": File.WriteAllText(checkpoint, "{\"Format\":\"something-else/9\",\"ModelSha256\":\"00\",\"Options\":\"\"}"); break;
            case "history-garbled-line": lines[3] = "3,0,not a genome,12,x,0.5,0,0,0,0"; File.WriteAllLines(history, lines); break;
            case "history-truncated": File.WriteAllText(history, string.Join('\n', lines)[..(string.Join('\n', lines).Length * 2 / 3)]); break;
            case "history-bad-header": lines[0] = "idx,gen,genome"; File.WriteAllLines(history, lines); break;
            case "history-huge-number":
                var f = Fields(2);
                f[3] = "99999999999999999999999";
                lines[2] = string.Join(',', f);
                File.WriteAllLines(history, lines);
                break;
            case "history-short-genome":
                var s = Fields(2);
                s[2] = string.Join(' ', s[2].Split(' ').Skip(1));
                lines[2] = string.Join(',', s);
                File.WriteAllLines(history, lines);
                break;
            case "history-gene-out-of-range":
                var g = Fields(2);
                g[2] = "100000 " + string.Join(' ', g[2].Split(' ').Skip(1));
                lines[2] = string.Join(',', g);
                File.WriteAllLines(history, lines);
                break;
        }
        var before = CliAssert.Hashes(o.OutDir);
        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(o with { Resume = true }));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, CliAssert.Hashes(o.OutDir));
    }

    [Fact]
    public void Execute_ResumeWithAnotherModel_ThrowsCheckpoint()
    {
        var o = finished.CopyTo(_dir.Path);
        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(o with { Resume = true, Prune = o.Prune with { ModelPath = SampleFiles.MobileNet } }));
        Assert.Contains("another model", e.Message);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("budget")]
    [InlineData("targets")]
    [InlineData("search-recon")]
    public void Execute_ResumeWithOtherOptions_ThrowsCheckpoint(string change)
    {
        var o = finished.CopyTo(_dir.Path);
        var other = change switch
        {
            "seed" => o with { Prune = o.Prune with { Seed = 4 } },
            "budget" => o with { Budget = 5 },
            "targets" => o with { Targets = [0.5] },
            _ => o with { SearchRecon = ReconMode.None },
        };
        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(other with { Resume = true }));
        Assert.Contains("other options", e.Message);
    }

    [Fact]
    public void Execute_ResumeOfAMissingFolder_ThrowsDirectoryNotFound() =>
        Assert.Throws<DirectoryNotFoundException>(() => SearchRun.Execute(SearchRuns.Options(_dir.File("nowhere"), seed: 1) with { Resume = true }));

    public void Dispose() => _dir.Dispose();
}
