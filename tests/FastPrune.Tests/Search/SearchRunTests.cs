using FastPrune.Tests.Cli;
using System.Text.Json;
using FastPrune.Data;
using FastPrune.Evo;
using FastPrune.Graph;
using FastPrune.Pipeline;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>A small end-to-end search: its outputs, determinism, and folder rules.</summary>
[Trait("Category", "Slow")] // whole searches or full-size networks: left out by tools/test.sh --fast
public sealed class SearchRunTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Execute_SmallRun_WritesHistoryFrontPlotAndOneRunnableModelPerTarget()
    {
        var o = SearchRuns.Options(_dir.Dir("run"), seed: 1);
        var reported = new List<RunProgress>();
        var result = SearchRun.Execute(o, new SearchRuns.SyncProgress(p => { if (p.Message is null) reported.Add(p); }));

        var lines = File.ReadAllLines(Path.Combine(o.OutDir, "history.csv"));
        Assert.Equal(HistoryRow.HeaderBeforeLatency + ",latency_ms,latency_spread,latency_source", lines[0]);
        var rows = lines.Skip(1).Select(HistoryRow.Parse).ToList();
        Assert.Equal(o.Budget, rows.Count);
        Assert.Equal(result.Evaluated, rows.Count);
        Assert.Equal(Enumerable.Range(0, rows.Count), rows.Select(r => r.Index));
        // Population 8, 8 offspring a generation: generations 0, 1, 2, and the progress line says the generation of the
        // subnet it reports (it said 0 until a generation had been told back, so a 96-subnet run said "gen 0" throughout).
        Assert.Equal(Enumerable.Range(0, rows.Count).Select(i => i / 8), rows.Select(r => r.Generation));
        Assert.Equal(rows.Select(r => r.Generation), reported.Select(p => p.Generation));
        Assert.Equal(rows.Count, rows.Select(r => string.Join(' ', r.Genome)).Distinct().Count());
        Assert.All(rows, r =>
        {
            Assert.InRange(r.Accuracy, 0, 1);
            Assert.True(r.Macs > 0 && r.Params > 0);
            Assert.True(r.TSurgery >= 0 && r.TRecon >= 0 && r.TSession >= 0 && r.TInfer >= 0);
        });

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(o.OutDir, "front.json")));
        var root = doc.RootElement;
        foreach (var key in new[] { "model", "objective", "original", "agreement_only", "search", "search_recon", "final_recon", "evaluated", "front", "models", "warnings" })
            Assert.True(root.TryGetProperty(key, out _), $"front.json has no '{key}'");
        long originalMacs = root.GetProperty("original").GetProperty("macs").GetInt64();
        Assert.Equal(rows.Count, root.GetProperty("evaluated").GetInt32());
        var front = root.GetProperty("front").EnumerateArray().ToList();
        Assert.Equal(result.Front, front.Count);
        Assert.NotEmpty(front);
        foreach (var f in front)
        {
            var row = rows[f.GetProperty("index").GetInt32()];
            Assert.Equal(row.Genome, f.GetProperty("genome").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(row.Macs, f.GetProperty("macs").GetInt64());
            Assert.Equal(row.Accuracy, f.GetProperty("accuracy").GetDouble());
            // Non-dominated among everything evaluated.
            Assert.DoesNotContain(rows, r => r.Macs <= row.Macs && r.Accuracy >= row.Accuracy && (r.Macs < row.Macs || r.Accuracy > row.Accuracy));
        }

        var png = File.ReadAllBytes(Path.Combine(o.OutDir, "front.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);

        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(result.Models.Count, models.Count);
        Assert.NotEmpty(models);
        var images = OrtProbe.CalibrationImages(SampleFiles.CalibImages, Sessions.Mnist, 4, 0, 0, out int n);
        foreach (var m in models)
        {
            double target = m.GetProperty("target").GetDouble();
            string file = m.GetProperty("file").GetString()!;
            Assert.Equal($"pruned-{target:F2}.onnx", file);
            var model = OnnxModel.Load(Path.Combine(o.OutDir, file));
            var cost = ModelCost.Compute(model);
            Assert.Equal(cost.Macs, m.GetProperty("macs").GetInt64());
            Assert.True(cost.Macs <= target * originalMacs, $"{file}: {cost.Macs} MACs over {target} of {originalMacs}");
            var (logits, shape) = OrtProbe.Run(model.Proto, images, Sessions.Mnist, n, model.Proto.Graph.Output[0].Name)[0];
            Assert.Equal(new long[] { n, 10 }, shape);
            Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        }
        Assert.Empty(Directory.GetFiles(o.OutDir, "*.tmp"));
    }

    [Fact]
    public void Execute_SameSeedTwice_IdenticalHistory()
    {
        var a = SearchRuns.Options(_dir.Dir("a"), seed: 2, budget: 16);
        var b = a with { OutDir = _dir.Dir("b") };
        SearchRun.Execute(a);
        SearchRun.Execute(b);
        Assert.Equal(SearchRuns.History(a.OutDir), SearchRuns.History(b.OutDir));
        Assert.Equal(16, SearchRuns.History(a.OutDir).Length);
    }

    [Fact]
    public void Execute_NonEmptyFolderWithoutResume_ThrowsRunFolderAndLeavesItAlone()
    {
        var dir = _dir.Dir("busy");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var before = CliAssert.Hashes(dir);
        Assert.Throws<RunFolderException>(() => SearchRun.Execute(SearchRuns.Options(dir, seed: 1)));
        Assert.Equal(before, CliAssert.Hashes(dir));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Execute_BudgetBelowTheUniformSeeds_EvaluatesExactlyTheBudget(int budget)
    {
        // The initial population is seeded with up to 11 uniform genomes; a smaller budget or
        // population must still run (Evo refuses more seeds than the population, or a population below 2).
        var o = SearchRuns.Options(_dir.Dir($"b{budget}"), seed: 1, budget: budget) with { Population = 4 };
        var result = SearchRun.Execute(o);
        Assert.Equal(budget, result.Evaluated);
        Assert.Equal(budget, SearchRuns.History(o.OutDir).Length);
    }

    [Fact]
    public void Execute_CorrectiveSearchWithPaperFinalModels_RanksWithCorrective()
    {
        // The session is opened with the final models' mode; the search's own mode needs the original outputs too.
        var o = SearchRuns.Options(_dir.Dir("mixed"), seed: 1, budget: 2) with { SearchRecon = ReconMode.Corrective, Targets = [0.9] };
        SearchRun.Execute(o);
        var first = HistoryRow.Parse(File.ReadAllLines(Path.Combine(o.OutDir, "history.csv"))[1]);
        using var session = CalibratedModel.Open(o.Prune with { Recon = ReconMode.Corrective });
        Assert.Equal(session.Evaluate(first.Genome, ReconMode.Corrective).Accuracy, first.Accuracy);
    }

    [Fact]
    public void Execute_NullOptions_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => SearchRun.Execute(null!));

    [Fact]
    public void Execute_ZeroBudget_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SearchRun.Execute(SearchRuns.Options(_dir.Dir("zero"), seed: 1, budget: 0)));

    public void Dispose() => _dir.Dispose();
}
