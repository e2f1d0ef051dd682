using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Zoo;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>The structures issue 10 asks to prune instead of freeze, each in torch.onnx's pattern, checked in ONNX Runtime.</summary>
public sealed class FamilyStructureTests
{
    [Theory]
    [InlineData("Sigmoid")]     // RegNetY, EfficientNet
    [InlineData("HardSigmoid")] // MobileNetV3
    [InlineData("Softplus")]    // element-wise activations keep every channel where it is, like the gates above
    [InlineData("Softsign")]
    [InlineData("Elu")]
    [InlineData("Selu")]
    [InlineData("Celu")]
    [InlineData("Sin")]
    public void Analyze_GroupedConvWithSe_GroupsAndSeWidthAreGenes(string gate)
    {
        var s = FamilyCheck.AssertPrunes(OnnxModel.FromProto(FamilyGraphs.GroupedSe(gate)), batch: 2, seed: 7);

        Assert.StartsWith("/fc/Gemm: reaches graph output", Assert.Single(s.Frozen));
        Assert.Equal(
            [new Gene("/stem/Conv", GeneKind.Channels, 1, 16, 1), new Gene("/block/a/Conv", GeneKind.Groups, 1, 4, 1), new Gene("/block/se/fc1/Conv", GeneKind.Channels, 1, 4, 1)],
            s.Genes);
    }

    [Fact]
    public void Apply_GroupedConv_KeepsWholeGroupsAndChannelsPerGroup()
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(FamilyGraphs.GroupedSe()));

        var (pruned, kept) = PruneCheck.Prune(s, [16, 3, 4], SelectionMethod.Random, 3);

        var conv = pruned.Proto.Graph.Node.Single(n => n.Name == "/block/b/Conv");
        Assert.Equal(3, Attr.Int(conv, "group", 1));
        Assert.Equal([12L, 4, 3, 3], PruneCheck.Dims(pruned.Proto, conv.Input[1]));
        Assert.Equal([12L, 16, 1, 1], PruneCheck.Dims(pruned.Proto, "/block/a.weight"));
        Assert.Equal([4L, 12, 1, 1], PruneCheck.Dims(pruned.Proto, "/block/se/fc1.weight"));
        Assert.Equal([12L, 4, 1, 1], PruneCheck.Dims(pruned.Proto, "/block/se/fc2.weight"));
        Assert.Equal([16L, 12, 1, 1], PruneCheck.Dims(pruned.Proto, "/block/c.weight"));
        PruneCheck.AssertValid(s, kept, pruned, batch: 1);
    }

    [Theory]
    [InlineData("Slice")] // torch 1.13's chunk(3, -1), bounds from a shape chain
    [InlineData("Split")]
    public void Analyze_TorchMultiheadAttention_HeadsAreAGene(string chunk)
    {
        var s = FamilyCheck.AssertPrunes(OnnxModel.FromProto(FamilyGraphs.TorchMha(chunk)), batch: 3, seed: 11);

        Assert.Equal(
            [new Gene("/encoder/layer_0/self_attention/MatMul", GeneKind.Heads, 1, 4, 1), new Gene("/encoder/layer_0/mlp/mlp.0/MatMul", GeneKind.Hidden, 1, 32, 1)],
            s.Genes);
    }

    [Fact]
    public void Apply_TorchMultiheadAttention_SlicesQkvBlocksAndRewritesBounds()
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(FamilyGraphs.TorchMha()));

        var (pruned, kept) = PruneCheck.Prune(s, [3, 32], SelectionMethod.Random, 5);

        Assert.Equal([16L, 3 * 12], PruneCheck.Dims(pruned.Proto, "onnx::MatMul_in_proj"));
        Assert.Equal([3L * 12], PruneCheck.Dims(pruned.Proto, "in_proj_bias"));
        Assert.Equal([16L, 12], PruneCheck.Dims(pruned.Proto, "out_proj.weight"));
        var g = pruned.Proto.Graph;
        var bounds = g.Node.Where(n => n.OpType == "Slice")
            .Select(n => (TensorData.Integers(g.Initializer.Single(t => t.Name == n.Input[1]))[0], TensorData.Integers(g.Initializer.Single(t => t.Name == n.Input[2]))[0]));
        Assert.Equal([(0L, 12L), (12L, 24L), (24L, 36L)], bounds);
        PruneCheck.AssertValid(s, kept, pruned, batch: 2);
    }

    /// <summary>ConvNeXt's channel-last LayerNorm over pruned trunk channels: scale and bias follow the channels and the
    /// statistics are over the kept ones, which a block built at the pruned width (weights sliced by hand) computes.</summary>
    [Fact]
    public void Apply_ChannelLastLayerNorm_EqualsBlockBuiltAtPrunedWidth()
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(FamilyGraphs.ConvNextBlock()));
        Assert.Equal([new Gene("/stem/Conv", GeneKind.Channels, 1, 8, 1), new Gene("/block/pwconv1/MatMul", GeneKind.Hidden, 1, 12, 1)], s.Genes);

        var (pruned, kept) = PruneCheck.Prune(s, [5, 7], SelectionMethod.Random, 13);

        var reference = FamilyGraphs.ConvNextBlock(kept[0], kept[1]);
        var shape = new long[] { 2, 3, 6, 6 };
        var x = Ort.RandomInput(shape, 17);
        var expected = Ort.Run(reference.ToByteArray(), x, shape).Single();
        var actual = Ort.Run(pruned.ToBytes(), x, shape).Single();
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(Ort.MaxRelativeDifference(actual.Values, expected.Values) <= 1e-5);
        Assert.Equal(ModelCost.Compute(OnnxModel.FromProto(reference)).Macs, ModelCost.Compute(pruned).Macs);
    }

    /// <summary>ConvTranspose is a layer (input channels on weight axis 0, outputs on axis 1) that reconstruction re-solves; Resize passes channels.</summary>
    [Fact]
    public void Analyze_FpnNeck_ConvTransposeAndResizePrune()
    {
        var s = FamilyCheck.AssertPrunes(OnnxModel.FromProto(FamilyGraphs.Fpn()), batch: 2, seed: 29);

        Assert.Equal(["/c1/Conv", "/c2/Conv", "/lat/Conv", "/lat2/Conv", "/merge/Conv", "/top/Conv", "/up/ConvTranspose"], s.Genes.Select(g => g.Name).Order());
        Assert.Contains(s.Layers, l => l.OpType == "ConvTranspose"); // reconstruction re-solves it
    }

    /// <summary>What stays impossible is frozen with the node named: a slice of part of a space, a grouped conv whose
    /// outputs are not its inputs' groups.</summary>
    [Theory]
    [InlineData("slice", "Slice of part of the channels (at node '/Slice')")]
    [InlineData("widening", "grouped Conv with 2 groups (in 8, out 16 channels) over channels it cannot split into whole groups (at node '/g/Conv')")]
    public void Analyze_UnsupportedChannelStructure_FrozenReasonNamesTheNode(string kind, string reason)
    {
        var b = new GraphBuilder("frozen", opset: 13);
        var w = new ZooWeights(b, 111, 500);
        var x = b.Input("input", ElemType.Float, "batch", 3, 4, 4);
        var a = TorchOps.Relu(b, "/a", TorchOps.Conv(b, "/a", x, w.ConvWeight("a.weight", 8, 3, 1), null, 1, 1, 0));
        string y = kind == "slice"
            ? b.Node("Slice", [a, b.Int64Vector("starts", 0), b.Int64Vector("ends", 3), b.Int64Vector("axes", 1)], name: "/Slice")
            : TorchOps.Conv(b, "/g", a, w.ConvWeight("g.weight", 16, 4, 1), null, 1, 1, 0, group: 2);
        b.Node("GlobalAveragePool", [y], name: "/pool", output: "output");
        b.OutputWithoutShape("output", ElemType.Float);

        var s = PrunableStructure.Analyze(OnnxModel.FromProto(b.Build()));

        Assert.Contains($"/a/Conv: {reason}", s.Frozen);
        Assert.DoesNotContain(s.Genes, g => g.Name == "/a/Conv");
    }
}
