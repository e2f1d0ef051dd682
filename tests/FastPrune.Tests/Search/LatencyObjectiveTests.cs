using System.Globalization;
using System.Text.Json;
using FastPrune.Graph;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// <c>--objective latency</c> on the bundled ResNet sample, measured for real on ONNX Runtime CPU (no fake timer): every
/// subnet gets a measured latency, a written model meets its target when re-measured (or the run says none did), and a
/// resumed run replays the stored latencies instead of measuring again.
/// </summary>
[Trait("Category", "Slow")] // whole searches: left out by tools/test.sh --fast
public sealed class LatencyObjectiveTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>A small latency-objective search on the ResNet sample (also <see cref="LatencyTableRunTests"/>' runs).</summary>
    internal static RunOptions Options(string dir, int budget, LatencySource source = LatencySource.Measure) => SearchRuns.Options(dir, seed: 5, budget: budget) with
    {
        Objective = CostObjective.Latency,
        LatencySource = source,
        BenchEngine = InferenceEngine.OrtCpu,
        BenchBatch = 16,
        Population = 8,
        Offspring = 4,
        Targets = [0.7],
    };

    [Fact]
    public void Execute_LatencyObjective_MeasuresEveryRowAndWritesOnlyModelsThatMeetTheirTarget()
    {
        var o = Options(_dir.Dir("run"), budget: 8);
        var result = SearchRun.Execute(o);

        var rows = File.ReadAllLines(Path.Combine(o.OutDir, "history.csv")).Skip(1).Select(HistoryRow.Parse).ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r => Assert.True(r.LatencyMs > 0 && r.LatencySpread >= 0, $"row {r.Index}: latency {r.LatencyMs}, spread {r.LatencySpread}"));
        Assert.All(File.ReadAllLines(Path.Combine(o.OutDir, "history.csv")).Skip(1), l => Assert.EndsWith(",measured", l));

        var reference = JsonSerializer.Deserialize<LatencyReference>(File.ReadAllText(Path.Combine(o.OutDir, LatencyReference.FileName)))!;
        Assert.Equal(("ort-cpu", 16), (reference.Engine, reference.Batch));
        Assert.True(reference.OriginalMs > 0);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(o.OutDir, "front.json")));
        var root = doc.RootElement;
        Assert.Equal("latency", root.GetProperty("objective").GetString());
        Assert.Equal(reference.OriginalMs, root.GetProperty("original").GetProperty("latency_ms").GetDouble());
        foreach (var f in root.GetProperty("front").EnumerateArray())
        {
            // The front is non-dominated in (latency, accuracy) over everything measured.
            var row = rows[f.GetProperty("index").GetInt32()];
            Assert.Equal(row.LatencyMs, f.GetProperty("latency_ms").GetDouble());
            Assert.DoesNotContain(rows, r => r.LatencyMs <= row.LatencyMs && r.Accuracy >= row.Accuracy && (r.LatencyMs < row.LatencyMs || r.Accuracy > row.Accuracy));
        }

        string file = Path.Combine(o.OutDir, "pruned-0.70.onnx");
        if (result.Models.Count == 0)
        {
            // On a busy machine no subnet may measure under the target, or every one that did may miss it when re-measured:
            // either is said, and nothing is written.
            Assert.Contains(result.Warnings, w => w.StartsWith("no model written for latency target 0.70", StringComparison.Ordinal)
                || w.StartsWith("no evaluated subnet meets the target 0.70", StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.LatencyMs <= 0.7 * reference.OriginalMs && result.Warnings.Any(w => w.StartsWith("no evaluated", StringComparison.Ordinal)));
            Assert.False(File.Exists(file));
        }
        else
        {
            var m = Assert.Single(result.Models);
            Assert.InRange(m.LatencyRatio!.Value, 0, 0.7);
            Assert.True(m.LatencyMs <= 0.7 * reference.OriginalMs, $"search latency {m.LatencyMs} ms over 0.7 of {reference.OriginalMs} ms");
            Assert.Equal(m.Genome, rows.Single(r => r.Genome.SequenceEqual(m.Genome)).Genome);
            var model = Assert.Single(root.GetProperty("models").EnumerateArray());
            Assert.Equal(m.LatencyRatio!.Value, model.GetProperty("measured_latency_ratio").GetDouble());
            Assert.False(m.LatencyPredicted);
            Assert.Equal("measured", model.GetProperty("latency_ratio_source").GetString());
            Assert.True(model.GetProperty("speedup").GetDouble() > 0);
            Assert.Equal(m.Macs, ModelCost.Compute(OnnxModel.Load(file)).Macs);
        }
        Assert.Empty(Directory.GetFiles(o.OutDir, "*.tmp"));
        Assert.Empty(Directory.GetFiles(o.OutDir, ".latency-*"));
    }

    [Fact]
    public void Execute_ResumedLatencyRun_ReplaysStoredLatenciesAndAsksTheSameGenomes()
    {
        // Budget 12 = the first population (8) and one generation of 4, which the first 8 latencies decide.
        var whole = Options(_dir.Dir("whole"), budget: 12);
        SearchRun.Execute(whole);
        var wholeLines = File.ReadAllLines(Path.Combine(whole.OutDir, "history.csv"));

        // The run as if killed after its 9th subnet: checkpoint, latency reference and the first 9 rows.
        var cut = whole with { OutDir = _dir.Dir("cut") };
        foreach (var name in new[] { Checkpoint.FileName, LatencyReference.FileName })
            File.Copy(Path.Combine(whole.OutDir, name), Path.Combine(cut.OutDir, name));
        File.WriteAllLines(Path.Combine(cut.OutDir, "history.csv"), wholeLines.Take(1 + 9));
        string referenceBefore = File.ReadAllText(Path.Combine(cut.OutDir, LatencyReference.FileName));

        var result = SearchRun.Execute(cut with { Resume = true });

        var cutLines = File.ReadAllLines(Path.Combine(cut.OutDir, "history.csv"));
        Assert.Equal(12, result.Evaluated);
        Assert.Equal(wholeLines.Take(1 + 9), cutLines.Take(1 + 9)); // stored rows untouched, latencies included
        Assert.Equal(Genomes(wholeLines), Genomes(cutLines));       // the replayed latencies led the search to the same genomes
        Assert.Equal(referenceBefore, File.ReadAllText(Path.Combine(cut.OutDir, LatencyReference.FileName)));
        Assert.All(cutLines.Skip(10).Select(HistoryRow.Parse), r => Assert.True(r.LatencyMs > 0));
    }

    [Fact]
    public void Execute_ResumeWithoutLatencyReference_ThrowsCheckpoint()
    {
        var o = Options(_dir.Dir("run"), budget: 1);
        SearchRun.Execute(o);
        File.Delete(Path.Combine(o.OutDir, LatencyReference.FileName));
        var e = Assert.Throws<CheckpointException>(() => SearchRun.Execute(o with { Resume = true, Budget = 1 }));
        Assert.Contains(LatencyReference.FileName, e.Message);
    }

    private static string[] Genomes(string[] lines) => lines.Skip(1).Select(l => l.Split(',')[2]).ToArray();

    public void Dispose() => _dir.Dispose();
}

/// <summary>history.csv rows with and without the latency columns.</summary>
public sealed class HistoryRowLatencyTests
{
    [Fact]
    public void Parse_RowWrittenBeforeLatencyColumns_HasNoLatency()
    {
        var row = HistoryRow.Parse("3,1,4 5,100,20,0.5,0.1000,0.2000,0.3000,0.4000");
        Assert.Null(row.LatencyMs);
        Assert.Equal(100, row.Cost(CostObjective.Macs));
        Assert.Throws<InvalidOperationException>(() => row.Cost(CostObjective.Latency));
    }

    [Fact]
    public void ToCsv_MeasuredLatency_RoundTripsExactly()
    {
        double ms = 1.0 / 3, spread = 0.1 + 0.2;
        var row = new HistoryRow(0, 0, [4, 5], 100, 20, 0.5, 0.1, 0.2, 0.3, 0.4, ms, spread);
        var back = HistoryRow.Parse(row.ToCsv());
        Assert.Equal(ms, back.Cost(CostObjective.Latency));
        Assert.Equal(spread, back.LatencySpread);
        Assert.EndsWith(",measured", row.ToCsv());
        Assert.Equal(HistoryRow.Header.Split(',').Length, row.ToCsv().Split(',').Length);
    }

    [Fact]
    public void ToCsv_PredictedLatency_RoundTripsWithItsSource()
    {
        var row = new HistoryRow(0, 0, [4, 5], 100, 20, 0.5, 0.1, 0.2, 0.3, 0.4, 2.5, 0, LatencyPredicted: true);
        Assert.EndsWith(",predicted", row.ToCsv());
        Assert.Equal(row.ToCsv(), HistoryRow.Parse(row.ToCsv()).ToCsv());
        Assert.True(HistoryRow.Parse(row.ToCsv()).LatencyPredicted);
    }

    [Theory]
    [InlineData("0,0,4 5,100,20,0.5,0.1,0.2,0.3,0.4,1.5,0.1,")]
    [InlineData("0,0,4 5,100,20,0.5,0.1,0.2,0.3,0.4,,,measured")]
    [InlineData("0,0,4 5,100,20,0.5,0.1,0.2,0.3,0.4,1.5")]
    [InlineData("0,0,4 5,100,20,0.5,0.1,0.2,0.3,0.4,1.5,0,guessed")]
    public void Parse_LatencyAndSourceDisagree_ThrowsFormat(string line) =>
        Assert.Throws<FormatException>(() => HistoryRow.Parse(line));
}
