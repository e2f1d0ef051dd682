using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData("resnet50")]
    [InlineData("mobilenetv1")]
    [InlineData("vit_toy")]
    [InlineData("vit_toy_sepqkv")]
    [InlineData("legacy_cnn")]
    public void Build_SameSeed_ByteIdenticalModel(string name)
    {
        byte[] first = ZooModels.Build(name, seed: 42).ToByteArray();
        byte[] second = ZooModels.Build(name, seed: 42).ToByteArray();

        Assert.True(first.AsSpan().SequenceEqual(second));
    }

    [Theory]
    [InlineData("mobilenetv1")]
    [InlineData("vit_toy_sepqkv")]
    [InlineData("legacy_cnn")]
    public void Build_DifferentSeed_SameGraphDifferentWeights(string name)
    {
        var a = ZooModels.Build(name, seed: 1).Graph;
        var b = ZooModels.Build(name, seed: 2).Graph;

        Assert.Equal(a.Node, b.Node);
        Assert.Equal(a.Initializer.Count, b.Initializer.Count);
        for (int i = 0; i < a.Initializer.Count; i++)
        {
            TensorProto ta = a.Initializer[i], tb = b.Initializer[i];
            Assert.Equal(ta.Name, tb.Name);
            Assert.Equal(ta.Dims, tb.Dims);
            if (ta.DataType == (int)TensorProto.Types.DataType.Float)
            {
                Assert.False(ta.RawData.Span.SequenceEqual(tb.RawData.Span), ta.Name);
            }
        }
    }

    [Fact]
    public void Build_DeitBase_WeightCountMatchesTimm()
    {
        var g = ZooModels.Build("deit_base").Graph;

        long floats = g.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
            .Sum(t => t.Dims.Aggregate(1L, (x, d) => x * d));

        // timm deit_base_patch16_224 has 86,567,656 parameters.
        Assert.Equal(86_567_656, floats);
        Assert.All(g.Initializer, t => Assert.Equal(t.Dims.Aggregate(1L, (x, d) => x * d) * (t.DataType == 7 ? 8 : 4), t.RawData.Length));
    }
}
