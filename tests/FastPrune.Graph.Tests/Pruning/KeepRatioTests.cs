using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>What a uniform keep-ratio does to the MACs of the reference CNNs.</summary>
public sealed class KeepRatioTests
{
    /// <summary>
    /// Keep-ratio 0.5 halves every gene, and nearly every conv loses half its inputs and half its outputs,
    /// so MACs fall to about a quarter (not the paper's ~50 %, which comes from a searched genome, not a
    /// uniform one). Only the stem conv (3 fixed input channels) and the fc (1000 fixed outputs) shrink on one
    /// side, which lifts the fraction slightly above 25 %.
    /// </summary>
    [Theory]
    [InlineData("resnet50", 0.25, 0.27)]
    [InlineData("mobilenetv1", 0.25, 0.27)]
    public void Apply_KeepRatioHalf_MacsNearAQuarter(string name, double low, double high)
    {
        var model = OnnxModel.FromProto(ZooCache.Get(name));
        var s = PrunableStructure.Analyze(model);
        var genome = Genome.Parse("0.5", s.Genes);
        Assert.Equal(s.Genes.Select(g => g.Max / 2), genome);

        var (pruned, _) = PruneCheck.Prune(s, genome, SelectionMethod.Random, 1);

        double fraction = (double)ModelCost.Compute(pruned).Macs / ModelCost.Compute(model).Macs;
        Assert.InRange(fraction, low, high);
    }
}
