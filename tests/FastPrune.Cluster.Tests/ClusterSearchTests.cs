using System.Text.Json;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Search;
using Xunit;

namespace FastPrune.Cluster.Tests;

/// <summary>Searches whose subnets run on Orleans workers record the same history as the same search in one process.</summary>
[Trait("Category", "Slow")] // whole searches: left out by tools/test.sh --fast
public sealed class ClusterSearchTests : IDisposable
{
    private static readonly DispatchOptions Dispatch = new(TimeSpan.FromSeconds(5), 2, TimeSpan.FromSeconds(5));
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Run_OneTwoThreeWorkers_SameHistoryAsLocal()
    {
        var local = WorkerCluster.Search(_dir.Dir("local"), seed: 2);
        SearchRun.Execute(local);
        var expected = WorkerCluster.History(local.OutDir);
        Assert.Equal(local.Budget, expected.Length);

        await using var cluster = await WorkerCluster.StartAsync(1);
        for (int workers = 1; workers <= 3; workers++)
        {
            if (workers > 1) await cluster.StartAdditionalSiloAsync();
            await cluster.WaitForLivenessToStabilizeAsync();
            var log = new WorkerCluster.Log();
            var run = local with { OutDir = _dir.Dir($"workers{workers}") };
            var result = await Task.Run(() => ClusterSearch.Run(run, cluster.Client, Dispatch, null, default, log.Add));

            Assert.Equal(local.Budget, result.Evaluated);
            Assert.Equal(expected, WorkerCluster.History(run.OutDir));
            // Every subnet ran on a worker (none in process), and each worker had its share (a genome Orleans placed on
            // the wrong silo is refused there and re-dispatched, so failures may appear; they change nothing).
            var replies = log.Lines("reply");
            Assert.Equal(local.Budget, replies.Length);
            Assert.Equal(workers, replies.Select(l => l.Split(' ')[2]).Distinct().Count());
        }
    }

    [Fact]
    public async Task Run_WorkerKilledMidGeneration_GenomesRedispatchedSameHistory()
    {
        var local = WorkerCluster.Search(_dir.Dir("local"), seed: 5);
        SearchRun.Execute(local);

        // The victim stalls on every subnet and is killed as soon as it has been given one, so that subnet is lost with
        // it for sure and must be redone elsewhere (after the connection drops or the dispatch timeout).
        await using var cluster = await WorkerCluster.StartAsync(3, stallLast: TimeSpan.FromMinutes(1));
        var victim = cluster.Silos.Single(s => s.Name.EndsWith('2'));
        string victimAddress = victim.SiloAddress.ToParsableString();
        var log = new WorkerCluster.Log();
        Task? kill = null;
        log.OnLine = line =>
        {
            var f = line.Split(' ');
            if (kill is null && f[0] == "dispatch" && f[2] == victimAddress)
                kill = Task.Run(() => cluster.KillSiloAsync(victim));
        };
        var run = local with { OutDir = _dir.Dir("killed") };
        var result = await Task.Run(() => ClusterSearch.Run(run, cluster.Client, Dispatch, null, default, log.Add));
        Assert.NotNull(kill);
        await kill!;

        Assert.Equal(local.Budget, result.Evaluated);
        Assert.Equal(WorkerCluster.History(local.OutDir), WorkerCluster.History(run.OutDir));
        // The victim's genome comes back either as a failed call (the connection dropped, or the timeout) or as
        // "misplaced" (Orleans re-routed the call to a new activation of the grain on a live silo, which refuses it).
        var lost = log.Lines("failed").Concat(log.Lines("misplaced")).ToList();
        string trace = string.Join('\n', log.Lines("dispatch").Concat(lost).Append("victim " + victimAddress));
        Assert.True(lost.Any(l => l.Split(' ')[2] == victimAddress), trace);
        Assert.DoesNotContain(log.Lines("reply"), l => l.Split(' ')[2] == victimAddress);
    }

    [Fact]
    public async Task EvaluateAll_WorkerStalledOnce_BenchedAcrossBatchesUntilLateReplyThenReadmitted()
    {
        var options = WorkerCluster.Search(_dir.Dir("local"), seed: 3).Prune;
        using var session = CalibratedModel.Open(options);
        var genomes = Enumerable.Range(0, 6).Select(i => Genome.Uniform(session.Structure.Genes, 0.5 + 0.08 * i)).ToArray();
        var expected = genomes.Select(g => (session.Evaluate(g, ReconMode.Paper) is var r ? (r.Macs, r.Accuracy) : default)).ToArray();

        // The victim's first evaluation stalls past the timeout; its back-off outlasts the test, so only its late reply
        // can bring it back: the next batch (a later generation) must not reach it before that, and must after.
        await using var cluster = await WorkerCluster.StartAsync(2, stallLast: TimeSpan.FromSeconds(3), stalls: 1);
        string victim = cluster.Silos.Single(s => s.Name.EndsWith('1')).SiloAddress.ToParsableString();
        var log = new WorkerCluster.Log();
        var evaluator = new OrleansEvaluator(cluster.Client, JsonSerializer.Serialize(options), ReconMode.Paper,
            new LocalEvaluator(session, ReconMode.Paper), new DispatchOptions(TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(10)), log.Add);
        (long, double)[] Batch()
        {
            var results = new (long, double)[genomes.Length];
            evaluator.EvaluateAll(genomes, (i, r) => results[i] = (r.Macs, r.Accuracy), CancellationToken.None);
            return results;
        }

        Assert.Equal(expected, await Task.Run(Batch));
        var wait = System.Diagnostics.Stopwatch.StartNew();
        // The victim's readmission (the other worker may time out too on a loaded machine, opening its model, and be readmitted first).
        while (!log.Lines("readmit").Any(l => l.EndsWith(victim, StringComparison.Ordinal)) && wait.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100);
        Assert.Equal(expected, await Task.Run(Batch));

        var all = log.Lines("").Where(l => l.EndsWith(victim, StringComparison.Ordinal) || l.Contains($" {victim} ", StringComparison.Ordinal)).ToList();
        string trace = string.Join('\n', all);
        int benched = all.FindIndex(l => l.StartsWith("bench ", StringComparison.Ordinal));
        int readmitted = all.FindIndex(l => l.StartsWith("readmit ", StringComparison.Ordinal));
        Assert.True(benched >= 0 && readmitted > benched, trace);
        Assert.DoesNotContain(all.Skip(benched).Take(readmitted - benched), l => l.StartsWith("dispatch ", StringComparison.Ordinal));
        Assert.Contains(all.Skip(readmitted), l => l.StartsWith("reply ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_CoordinatorCancelledThenResumedWithWorkers_SameHistoryAsLocal()
    {
        var local = WorkerCluster.Search(_dir.Dir("local"), seed: 4);
        SearchRun.Execute(local);

        await using var cluster = await WorkerCluster.StartAsync(2);
        var cut = local with { OutDir = _dir.Dir("cut") };
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Message is null && p.Evaluated >= 11) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => ClusterSearch.Run(cut, cluster.Client, Dispatch, progress, cts.Token)));
        var partial = WorkerCluster.History(cut.OutDir);
        Assert.Equal(WorkerCluster.History(local.OutDir).Take(partial.Length), partial);
        Assert.InRange(partial.Length, 11, local.Budget - 1);

        var result = await Task.Run(() => ClusterSearch.Run(cut with { Resume = true }, cluster.Client, Dispatch, null, default));
        Assert.Equal(local.Budget, result.Evaluated);
        Assert.Equal(WorkerCluster.History(local.OutDir), WorkerCluster.History(cut.OutDir));
    }

    /// <summary>An <see cref="IProgress{T}"/> that runs its callback synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    public void Dispose() => _dir.Dispose();
}
