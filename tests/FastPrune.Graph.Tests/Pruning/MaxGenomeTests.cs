using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>The max genome keeps every unit: the surgery result must compute what the original computes.</summary>
public sealed class MaxGenomeTests
{
    [Theory]
    [InlineData("resnet50", 13, false, 1)]
    [InlineData("mobilenetv1", 11, true, 1)]
    [InlineData("deit_tiny", 13, false, 2)]     // DeiT family with decomposed LayerNorm and shape chains
    [InlineData("deit_small", 17, true, 1)]     // LayerNormalization op, constant Reshape targets
    [InlineData("legacy_cnn", 9, true, 1)]      // opset 9, unfused BatchNormalization, numeric names
    [InlineData("vit_toy_sepqkv", 13, false, 3)]
    public void Apply_MaxGenome_OrtOutputsEqualOriginal(string name, int opset, bool isStatic, int batch)
    {
        var proto = ZooCache.Get(name, opset, isStatic);
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(proto));
        Assert.NotEmpty(s.Genes);

        var (pruned, _) = PruneCheck.Prune(s, Genome.Parse("max", s.Genes), SelectionMethod.L1, 0);

        Assert.Equal(ModelCost.Compute(OnnxModel.FromProto(proto)).Macs, ModelCost.Compute(pruned).Macs);
        var shape = ZooCache.InputShape(proto, batch);
        var x = Ort.RandomInput(shape, 51);
        var expected = Ort.Run(proto.ToByteArray(), x, shape);
        var actual = Ort.Run(pruned.ToBytes(), x, shape);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.True(Ort.MaxRelativeDifference(actual[i].Values, expected[i].Values) <= 1e-6);
        }
    }
}
