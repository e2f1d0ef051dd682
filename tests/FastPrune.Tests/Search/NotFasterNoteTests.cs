using FastPrune.Runtime;
using FastPrune.Search;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>A MACs or params run whose written model the bench measured no faster than the original says so, with the
/// measured ratio and what would search for speed; a faster model gets no note.</summary>
public sealed class NotFasterNoteTests
{
    private static WrittenModel Model(string file, long macs, double speedup) =>
        new(0.5, Path.Combine("run", file), [1], macs, 10, 0.9, 0.9, null) { Speedup = speedup };

    private static readonly ThroughputResult Original = new("original.onnx", InferenceEngine.OrtCpu, 64, 1000, [2.0, 2.0, 2.0]);

    [Fact]
    public void NotFaster_SlowerModelOnTheUnroundedGrid_NamesFileRatioAndBothRemedies()
    {
        var o = SearchRuns.Options("x", seed: 0) with { Round = 1 };
        var notes = FrontWriter.NotFaster(o, 1000, [Model("pruned-0.50.onnx", 494, 0.706), Model("pruned-0.30.onnx", 300, 1.14)], Original).ToList();

        var note = Assert.Single(notes);
        Assert.StartsWith("pruned-0.50.onnx has 49", note, StringComparison.Ordinal);
        Assert.Contains("0.71x its throughput on ort-cpu at batch 64", note, StringComparison.Ordinal);
        Assert.Contains("--objective latency", note, StringComparison.Ordinal);
        Assert.Contains("--round 8", note, StringComparison.Ordinal);
    }

    [Fact]
    public void NotFaster_AlreadyOnTheEnginesGrid_SuggestsOnlyTheLatencyObjective()
    {
        var o = SearchRuns.Options("x", seed: 0) with { Round = 16 };
        var note = Assert.Single(FrontWriter.NotFaster(o, 1000, [Model("pruned-0.50.onnx", 500, 0.98)], Original));
        Assert.DoesNotContain("--round", note, StringComparison.Ordinal);
        Assert.Empty(FrontWriter.NotFaster(o, 1000, [Model("pruned-0.50.onnx", 500, 1.0)], Original));
    }
}
