using System.Text.Json;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// <c>--objective latency --latency-source table|mix</c> on the bundled ResNet sample, on ONNX Runtime CPU: every row is
/// predicted from the run's table, the table and its fit are kept in the run folder, and a resumed run replays the
/// stored predictions and predicts new subnets from that copy (no timing asserted).
/// </summary>
[Trait("Category", "Slow")] // whole searches: left out by tools/test.sh --fast
public sealed class LatencyTableRunTests : IDisposable
{
    private readonly TempDir _dir = new();

    public LatencyTableRunTests()
    {
        // The machine's cache of layer timings goes to the test's folder, never the user's.
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _dir.Dir("cache"));
    }

    private static RunOptions Options(string dir, int budget, LatencySource source) => LatencyObjectiveTests.Options(dir, budget, source);

    [Fact]
    public void Execute_TableSource_PredictsEveryRowFromTheRunsCalibratedTable()
    {
        var o = Options(_dir.Dir("run"), budget: 8, LatencySource.Table);
        var result = SearchRun.Execute(o);

        var lines = File.ReadAllLines(Path.Combine(o.OutDir, "history.csv")).Skip(1).ToList();
        Assert.Equal(8, lines.Count);
        Assert.All(lines, l => Assert.EndsWith(",0,predicted", l));
        var table = LatencyTable.LoadExact(Path.Combine(o.OutDir, LatencyTableRun.FileName));
        Assert.NotNull(table.Fit);
        Assert.True(table.Count > 0);
        // The machine's cache holds every entry the run timed (other tests' latency runs may have left tables of other
        // keys there: the cache folder is process-wide).
        var cached = Assert.Single(Directory.GetFiles(_dir.File("cache", "fastprune")), f => Path.GetFileName(f) == table.Key.FileName());
        Assert.Equal(table.Count, LatencyTable.Load(cached, table.Key).Count);
        Assert.Empty(Directory.GetFiles(o.OutDir, ".latency-*"));
        // The cache was empty: this run timed every entry once, and each lookup that was not answered timed one.
        var use = Assert.IsType<LatencyTableUse>(result.LatencyTable);
        Assert.Equal(table.Count, use.Entries);
        Assert.Equal(table.Count, use.Timed);
        Assert.Equal(use.Timed, use.Lookups - use.Hits);
        Assert.True(use.ProbeSeconds > 0 && use.Hits > 0, $"{use}");

        // A second run of the same search on this machine (budget 8: the same first subnets, whatever its calibration
        // timed) times nothing: every lookup comes from the cache.
        var again = SearchRun.Execute(o with { OutDir = _dir.Dir("again") }).LatencyTable!;
        Assert.Equal((table.Count, 0, again.Lookups), (again.Entries, again.Timed, again.Hits));

        // The written models' latency ratio is the table's prediction (nothing is re-measured with this source), and the
        // result, front.json and any note say so.
        using var front = JsonDocument.Parse(File.ReadAllText(Path.Combine(o.OutDir, "front.json")));
        var used = front.RootElement.GetProperty("latency").GetProperty("table");
        Assert.Equal((use.Entries, use.Timed, use.Lookups, use.Hits),
            (used.GetProperty("entries").GetInt32(), used.GetProperty("timed").GetInt32(), used.GetProperty("lookups").GetInt32(), used.GetProperty("hits").GetInt32()));
        var models = front.RootElement.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(result.Models.Count, models.Count);
        Assert.All(result.Models, m => Assert.True(m.LatencyPredicted, $"{m.Path}: ratio {m.LatencyRatio} reported as measured"));
        Assert.All(models, m => Assert.Equal("predicted", m.GetProperty("latency_ratio_source").GetString()));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("re-measured", StringComparison.Ordinal));
        if (result.Models.Count == 0)
            Assert.Contains(result.Warnings, w => w.StartsWith("no model written for latency target 0.70: predicted by the latency table", StringComparison.Ordinal)
                || w.StartsWith("no evaluated subnet meets the target 0.70", StringComparison.Ordinal));
    }

    [Fact]
    public void Execute_ResumedMixRun_ReplaysPredictionsAndPredictsTheRestFromTheStoredTable()
    {
        var whole = Options(_dir.Dir("whole"), budget: 12, LatencySource.Mix);
        SearchRun.Execute(whole);
        var wholeLines = File.ReadAllLines(Path.Combine(whole.OutDir, "history.csv"));

        // Cut after the 9th subnet, with the table as the whole run left it: the resumed run times no layer again,
        // so its last three predictions must equal the uninterrupted run's exactly.
        var cut = whole with { OutDir = _dir.Dir("cut") };
        foreach (var name in new[] { Checkpoint.FileName, LatencyReference.FileName, LatencyTableRun.FileName })
            File.Copy(Path.Combine(whole.OutDir, name), Path.Combine(cut.OutDir, name));
        File.WriteAllLines(Path.Combine(cut.OutDir, "history.csv"), wholeLines.Take(1 + 9));

        var resumed = SearchRun.Execute(cut with { Resume = true });
        Assert.Equal(0, resumed.LatencyTable!.Timed);

        var cutLines = File.ReadAllLines(Path.Combine(cut.OutDir, "history.csv"));
        Assert.Equal(wholeLines.Take(1 + 9), cutLines.Take(1 + 9));
        Assert.Equal(Latencies(wholeLines), Latencies(cutLines));
    }

    [Fact]
    public void Execute_ResumeWithoutTable_ThrowsCheckpoint()
    {
        var o = Options(_dir.Dir("run"), budget: 1, LatencySource.Table);
        SearchRun.Execute(o);
        File.Delete(Path.Combine(o.OutDir, LatencyTableRun.FileName));
        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(o with { Resume = true }));
        Assert.Contains(LatencyTableRun.FileName, e.Message);
    }

    [Fact]
    public void Execute_ResumeWithTableOfEarlierVersion_ThrowsCheckpointNamingIt()
    {
        // A table written before entries were kernel times and sums counted layout reorders has no "Probe" in its key: its
        // entries and fit mean something else, so the resumed run could not predict as the first did.
        var o = Options(_dir.Dir("run"), budget: 1, LatencySource.Table);
        SearchRun.Execute(o);
        string file = Path.Combine(o.OutDir, LatencyTableRun.FileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        Assert.True(json["Key"]!.AsObject().Remove("Probe"));
        File.WriteAllText(file, json.ToJsonString());

        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(o with { Resume = true }));
        Assert.StartsWith(file + ": made by an earlier FastPrune", e.Message);
    }

    /// <summary>Genome and latency columns of every row (the timing columns differ between runs).</summary>
    private static string[] Latencies(string[] lines) =>
        lines.Skip(1).Select(l => l.Split(',')).Select(f => string.Join(',', f[2], f[10], f[11], f[12])).ToArray();

    public void Dispose() => _dir.Dispose();
}
