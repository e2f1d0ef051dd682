using FastPrune.Evo;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// The first population of a search: a latency run on an engine with a blocked layout (ONNX Runtime CPU here) starts from
/// the MACs run's uniform seeds and, after them, uniform genomes whose every width is a multiple of the engine's channel
/// block; other runs do not.
/// </summary>
public sealed class UniformSeedsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void UniformSeeds_LatencyRun_AddsGenomesWithEveryWidthOnTheEnginesBlock()
    {
        var o = LatencyObjectiveTests.Options(_dir.Dir("run"), budget: 8);
        using var calibrated = CalibratedModel.Open(o.Prune);
        var genes = calibrated.Structure.Genes;
        var space = new GenomeSpace(genes.Select(g => new IntGene(g.Name, g.Min, g.Max, g.Step)));
        int block = OrtNchwcBlock.Of(InferenceEngine.OrtCpu);

        var macs = SearchRun.UniformSeeds(space, calibrated, o with { Objective = CostObjective.Macs }).ToList();
        var latency = SearchRun.UniformSeeds(space, calibrated, o).ToList();

        Assert.Equal(macs, latency.Take(macs.Count));
        var extra = latency.Skip(macs.Count).ToList();
        if (block <= 1)
        {
            Assert.Empty(extra);
            return;
        }
        Assert.True(extra.Count >= 4, $"{extra.Count} aligned seeds for block {block}");
        foreach (var seed in extra)
        {
            Assert.Contains(seed.Select((v, i) => v < genes[i].Max), pruned => pruned);
            for (int i = 0; i < seed.Length; i++)
            {
                int step = calibrated.Structure.RoundedStep(i, block);
                Assert.True(seed[i] % step == 0 || seed[i] == genes[i].Max, $"gene {genes[i].Name}: {seed[i]} is not a multiple of {step}");
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
