using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>The search space of each reference network: gene counts, kinds, ranges and names as the paper's encoding has them.</summary>
public sealed class GeneStructureTests
{
    [Theory]
    [InlineData(11, false)]
    [InlineData(13, false)]
    [InlineData(17, true)]
    public void Analyze_ResNet50_37ChannelGenes(int opset, bool isStatic)
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get("resnet50", opset, isStatic)));

        Assert.Equal(37, s.Genes.Count);
        Assert.All(s.Genes, g => Assert.Equal((GeneKind.Channels, 1, 1), (g.Kind, g.Min, g.Step)));
        Assert.Equal(new Gene("/conv1/Conv", GeneKind.Channels, 1, 64, 1), s.Genes[0]);
        // the residual width of each stage is named after its first conv writing the stream, the downsample
        int[] stageWidths = [256, 512, 1024, 2048];
        for (int stage = 0; stage < 4; stage++)
            Assert.Contains(new Gene($"/layer{stage + 1}/layer{stage + 1}.0/downsample/downsample.0/Conv", GeneKind.Channels, 1, stageWidths[stage], 1), s.Genes);
        // both inner widths of each of the 16 bottlenecks
        int[] blocks = [3, 4, 6, 3];
        for (int stage = 0; stage < 4; stage++)
            for (int b = 0; b < blocks[stage]; b++)
                foreach (var conv in new[] { "conv1", "conv2" })
                    Assert.Contains(new Gene($"/layer{stage + 1}/layer{stage + 1}.{b}/{conv}/Conv", GeneKind.Channels, 1, 64 << stage, 1), s.Genes);
        Assert.Equal(s.Genes.Count, s.Genes.Select(g => g.Name).Distinct().Count());
        // the classifier's outputs reach the graph output
        Assert.Contains(s.Frozen, f => f.StartsWith("/fc/Gemm", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(11, true)]
    public void Analyze_MobileNetV1_14ChannelGenesDepthwiseFollows(int opset, bool isStatic)
    {
        var model = ZooCache.Get("mobilenetv1", opset, isStatic);
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(model));

        Assert.Equal(14, s.Genes.Count);
        Assert.All(s.Genes, g => Assert.Equal(GeneKind.Channels, g.Kind));
        int[] widths = [32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];
        Assert.Equal(widths, s.Genes.Select(g => g.Max));
        // stem and every pointwise conv open a gene; no depthwise conv does
        var convs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        var depthwise = convs.Where(n => n.Attribute.Any(a => a.Name == "group" && a.I > 1)).Select(n => n.Name).ToHashSet();
        Assert.Equal(13, depthwise.Count);
        Assert.Equal(convs.Where(n => !depthwise.Contains(n.Name)).Select(n => n.Name), s.Genes.Select(g => g.Name));
    }

    [Theory]
    [InlineData("vit_toy", 13, false, 4, 128)]
    [InlineData("vit_toy_sepqkv", 17, true, 4, 128)]
    [InlineData("deit_tiny", 13, false, 3, 768)]
    public void Analyze_Vit_HeadsAndHiddenGenePerBlock(string name, int opset, bool isStatic, int heads, int hidden)
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get(name, opset, isStatic)));
        int depth = s.Genes.Count / 2;

        Assert.Equal(name == "deit_tiny" ? 12 : 2, depth);
        for (int b = 0; b < depth; b++)
        {
            var first = name == "vit_toy_sepqkv" ? "q" : "qkv";
            Assert.Equal(new Gene($"/blocks/blocks.{b}/attn/{first}/MatMul", GeneKind.Heads, 1, heads, 1), s.Genes[2 * b]);
            Assert.Equal(new Gene($"/blocks/blocks.{b}/mlp/fc1/MatMul", GeneKind.Hidden, 1, hidden, 1), s.Genes[(2 * b) + 1]);
        }
    }

    [Fact]
    public void Analyze_SameModelTwice_SameGenes()
    {
        var a = PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get("resnet50")));
        var b = PrunableStructure.Analyze(OnnxModel.FromBytes(ZooCache.Get("resnet50").ToByteArray()));
        Assert.Equal(a.Genes, b.Genes);
    }

    [Fact]
    public void Analyze_StepEight_RoundsChannelGenesNotHeads()
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get("vit_toy")), step: 8);
        Assert.All(s.Genes.Where(g => g.Kind == GeneKind.Hidden), g => Assert.Equal((8, 8), (g.Min, g.Step)));
        Assert.All(s.Genes.Where(g => g.Kind == GeneKind.Heads), g => Assert.Equal((1, 1), (g.Min, g.Step)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get("vit_toy")), step: 0));
    }
}
