using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Pruning;

public sealed class BatchNormFoldingTests
{
    [Fact]
    public void Apply_LegacyCnnWithUnfusedBn_RemovesEveryBnAndKeepsOutputs()
    {
        var model = OnnxModel.FromProto(ZooModels.BuildLegacyCnn(3));
        Assert.Contains(model.Proto.Graph.Node, n => n.OpType == "BatchNormalization");
        var folded = BatchNormFolding.Apply(model);
        Assert.DoesNotContain(folded.Proto.Graph.Node, n => n.OpType == "BatchNormalization");
        var shape = Ort.InputShape(model, 1);
        var x = Ort.RandomInput(shape, 11);
        var expected = Ort.Run(model.ToBytes(), x, shape)[0];
        var actual = Ort.Run(folded.ToBytes(), x, shape)[0];
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(Ort.MaxRelativeDifference(actual.Values, expected.Values) <= 1e-5);
    }

    [Fact]
    public void Apply_ThenPrune_GivesTheSameGenesAndRuns()
    {
        var model = OnnxModel.FromProto(ZooModels.BuildLegacyCnn(5));
        var folded = BatchNormFolding.Apply(model);
        var a = PrunableStructure.Analyze(model);
        var b = PrunableStructure.Analyze(folded);
        Assert.Equal(a.Genes.Select(g => (g.Kind, g.Max)), b.Genes.Select(g => (g.Kind, g.Max)));
        var pruned = Surgery.Apply(b, ChannelSelection.Select(b, Genome.Uniform(b.Genes, 0.5), SelectionMethod.L1, 0));
        var shape = Ort.InputShape(model, 1);
        var y = Ort.Run(pruned.ToBytes(), Ort.RandomInput(shape, 2), shape)[0];
        Assert.All(y.Values, v => Assert.True(float.IsFinite(v)));
    }
}
