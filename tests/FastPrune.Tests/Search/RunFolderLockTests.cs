using FastPrune.Tests.Cli;
using System.Diagnostics;
using FastPrune.Cli;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>Two processes, or two runs in one process, never work in the same run folder.</summary>
[Trait("Category", "Slow")] // whole searches or full-size networks: left out by tools/test.sh --fast
public sealed class RunFolderLockTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Execute_SecondRunInTheSameFolderWhileTheFirstWorks_ThrowsRunFolderAndFirstFinishes()
    {
        var dir = _dir.File("run");
        var first = SearchRuns.Options(dir, seed: 2, budget: 4);
        using var firstHasWork = new ManualResetEventSlim();
        using var secondTried = new ManualResetEventSlim();
        // The first run pauses after its first subnet until the second has tried (and failed) to take the folder.
        var progress = new SearchRuns.SyncProgress(p =>
        {
            if (p.Message is null && p.Evaluated == 1)
            {
                firstHasWork.Set();
                Assert.True(secondTried.Wait(TimeSpan.FromMinutes(2)));
            }
        });
        var running = Task.Factory.StartNew(() => SearchRun.Execute(first, progress), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(firstHasWork.Wait(TimeSpan.FromMinutes(2)));

        var e = Assert.Throws<RunFolderException>(() => SearchRun.Execute(first with { Resume = true }));
        secondTried.Set();

        Assert.Contains("another fastprune process", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, (await running).Evaluated);
        Assert.Equal(4, SearchRuns.History(dir).Length);
    }

    [Fact]
    public void Run_AnotherProcessHoldsTheFolder_ChildExitsFileSystemAndWritesNothing()
    {
        var dir = _dir.Dir("held");
        var before = CliAssert.Hashes(dir);
        // This process holds the lock as a live run does; the child is a real second fastprune process.
        using (new FileStream(Path.Combine(dir, RunFolderLock.FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, err) = RunChild("run", SampleFiles.ResNet, "--data", SampleFiles.CalibImages, "--calib", "8", "--eval", "8",
                "--budget", "2", "--no-bench", "--out", dir);
            Assert.True(code == ExitCodes.FileSystem, err);
            Assert.Contains("another fastprune process is working in this folder", err, StringComparison.Ordinal);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.Equal(before.Keys.Append(Path.Combine(dir, RunFolderLock.FileName)).Distinct().Order(), CliAssert.Hashes(dir).Keys.Order());
    }

    [Fact]
    public void Execute_LockReleasedAtTheEnd_NextResumeTakesTheFolder()
    {
        var dir = _dir.File("twice");
        var o = SearchRuns.Options(dir, seed: 5, budget: 2);
        SearchRun.Execute(o);
        // A finished run released its lock: resuming (nothing left to evaluate) takes the folder again.
        Assert.Equal(2, SearchRun.Execute(o with { Resume = true }).Evaluated);
    }

    private static (int Code, string Err) RunChild(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "FastPrune.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "the child fastprune did not end");
        return (p.ExitCode, err.Result);
    }

    public void Dispose() => _dir.Dispose();
}
