using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Zoo;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>One test per graph topology the surgery must understand, each checked in ONNX Runtime.</summary>
public sealed class TopologyTests
{
    private static PrunableStructure Analyze(string name, int opset = 13, bool isStatic = false) =>
        PrunableStructure.Analyze(OnnxModel.FromProto(ZooCache.Get(name, opset, isStatic)));

    private static string Weight(PrunableStructure s, string layer) => s.Layers.Single(l => l.Name == layer).Weight;

    [Fact]
    public void Apply_ResidualAdd_BothBranchesShrinkTogether()
    {
        var s = Analyze("legacy_cnn");
        var g = s.Model.Proto.Graph;
        var index = new GraphIndex(g);
        var add = g.Node.Single(n => n.OpType == "Add");
        // walk each operand back through BatchNormalization / Relu to the conv that writes it
        string ConvWeight(string tensor)
        {
            var n = index.Node(index.Producer(tensor));
            while (n.OpType != "Conv") n = index.Node(index.Producer(n.Input[0]));
            return n.Input[1];
        }
        var (wa, wb) = (ConvWeight(add.Input[0]), ConvWeight(add.Input[1]));
        var genome = PruneCheck.Genome(s, gene => gene.Max / 2);

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.L1, 0);

        long kA = PruneCheck.Dims(pruned.Proto, wa)[0], kB = PruneCheck.Dims(pruned.Proto, wb)[0];
        Assert.Equal(kA, kB);
        Assert.Equal(PruneCheck.Dims(s.Model.Proto, wa)[0] / 2, kA);
        PruneCheck.AssertValid(s, kept, pruned, batch: 1);
    }

    [Fact]
    public void Apply_Depthwise_FollowsItsProducerAndKeepsGroupsEqualToChannels()
    {
        var s = Analyze("legacy_cnn");
        var dw = s.Model.Proto.Graph.Node.Single(n => n.OpType == "Conv" && Attr.Int(n, "group", 1) > 1);
        var genome = PruneCheck.Genome(s, gene => Math.Max(gene.Min, gene.Max / 4));

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.Random, 3);

        var node = pruned.Proto.Graph.Node.Single(n => n.OpType == "Conv" && Attr.Int(n, "group", 1) > 1);
        var w = PruneCheck.Dims(pruned.Proto, node.Input[1]);
        Assert.Equal(Attr.Int(dw, "group", 1) / 4, Attr.Int(node, "group", 1));
        Assert.Equal([Attr.Int(node, "group", 1), 1, 3, 3], w);
        PruneCheck.AssertValid(s, kept, pruned, batch: 1);
    }

    /// <summary>Two convs concatenated along channels feeding a third: each keeps its own gene, the consumer's input rows follow both.</summary>
    [Fact]
    public void Apply_ConcatOfTwoConvs_ConsumerInputRowsFollowBothGenes()
    {
        var rng = new Random(61);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var b = new GraphBuilder("concat", opset: 13);
        var x = b.Input("input", ElemType.Float, "batch", 3, 8, 8);
        var a = b.Node("Relu", [b.Node("Conv", [x, b.Initializer("a.weight", [4, 3, 3, 3], Rand(108)), b.Initializer("a.bias", [4], Rand(4))],
            [Attrs.Ints("pads", 1, 1, 1, 1)], name: "/a/Conv")]);
        var c = b.Node("Relu", [b.Node("Conv", [x, b.Initializer("b.weight", [6, 3, 1, 1], Rand(18)), b.Initializer("b.bias", [6], Rand(6))], name: "/b/Conv")]);
        var cat = b.Node("Concat", [a, c], [Attrs.Int("axis", 1)]);
        var y = b.Node("Conv", [cat, b.Initializer("c.weight", [5, 10, 3, 3], Rand(450))], [Attrs.Ints("pads", 1, 1, 1, 1)], name: "/c/Conv", output: "output");
        b.Output(y, ElemType.Float, "batch", 5, 8, 8);
        var model = OnnxModel.FromProto(b.Build());
        var s = PrunableStructure.Analyze(model);
        Assert.Equal(["/a/Conv", "/b/Conv"], s.Genes.Select(g => g.Name));

        var (pruned, kept) = PruneCheck.Prune(s, [2, 3], SelectionMethod.Random, 5);

        Assert.Equal([2L, 3, 3, 3], PruneCheck.Dims(pruned.Proto, "a.weight"));
        Assert.Equal([3L, 3, 1, 1], PruneCheck.Dims(pruned.Proto, "b.weight"));
        Assert.Equal([5L, 5, 3, 3], PruneCheck.Dims(pruned.Proto, "c.weight"));
        // Reference written by hand: the original with c's input rows of the removed channels zeroed
        // (rows 0..3 are a's channels, rows 4..9 b's).
        var masked = model.Proto.Clone();
        var cw = masked.Graph.Initializer.Single(t => t.Name == "c.weight");
        var data = TensorData.Floats(cw).ToArray();
        var removedRows = Enumerable.Range(0, 4).Except(kept[0]).Concat(Enumerable.Range(0, 6).Except(kept[1]).Select(i => 4 + i));
        foreach (int row in removedRows)
            for (int o = 0; o < 5; o++)
                data.AsSpan((o * 10 + row) * 9, 9).Clear();
        cw.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()));
        var shape = new long[] { 2, 3, 8, 8 };
        var input = Ort.RandomInput(shape, 62);
        var expected = Ort.Run(masked.ToByteArray(), input, shape).Single();
        var actual = Ort.Run(pruned.ToBytes(), input, shape).Single();
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(Ort.MaxRelativeDifference(actual.Values, expected.Values) <= 1e-6);
    }

    [Fact]
    public void Apply_FusedQkvAttention_SlicesQKVBlocksAndProjRows()
    {
        var s = Analyze("vit_toy");
        int[] genome = [2, 64, 3, 32]; // block 0: 2 of 4 heads, hidden 64; block 1: 3 heads, hidden 32

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.L1, 0);

        Assert.Equal([64L, 3 * 2 * 16], PruneCheck.Dims(pruned.Proto, Weight(s, "/blocks/blocks.0/attn/qkv/MatMul")));
        Assert.Equal([2L * 16, 64], PruneCheck.Dims(pruned.Proto, Weight(s, "/blocks/blocks.0/attn/proj/MatMul")));
        Assert.Equal([64L, 3 * 3 * 16], PruneCheck.Dims(pruned.Proto, Weight(s, "/blocks/blocks.1/attn/qkv/MatMul")));
        Assert.Equal([32L, 64], PruneCheck.Dims(pruned.Proto, Weight(s, "/blocks/blocks.1/mlp/fc2/MatMul")));
        Assert.Equal(VitMacs.Of(VitConfig.Toy, genome), ModelCost.Compute(pruned).Macs);
        PruneCheck.AssertValid(s, kept, pruned, batch: 2);
    }

    [Fact]
    public void Apply_SeparateQkvAttention_SlicesEachProjection()
    {
        var s = Analyze("vit_toy_sepqkv");
        Assert.Equal(4, s.Genes.Count);
        int[] genome = [1, 128, 3, 17];

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.Random, 2);

        foreach (var which in new[] { "q", "k", "v" })
            Assert.Equal([64L, 16], PruneCheck.Dims(pruned.Proto, Weight(s, $"/blocks/blocks.0/attn/{which}/MatMul")));
        Assert.Equal([48L, 64], PruneCheck.Dims(pruned.Proto, Weight(s, "/blocks/blocks.1/attn/proj/MatMul")));
        Assert.Equal(VitMacs.Of(VitConfig.Toy, genome), ModelCost.Compute(pruned).Macs);
        PruneCheck.AssertValid(s, kept, pruned, batch: 2);
    }

    /// <summary>Dynamic export: the Reshape targets are Shape→Gather→Unsqueeze→Concat chains. After surgery they are
    /// constants with the pruned head count and 0 (copy) for the batch, so the model still takes any batch.</summary>
    [Fact]
    public void Apply_ShapeChainReshape_TargetBecomesConstantAndBatchStaysDynamic()
    {
        var s = Analyze("vit_toy", opset: 11);
        int[] genome = [3, 128, 4, 128];

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.Random, 4);

        var g = pruned.Proto.Graph;
        var reshapes = g.Node.Where(n => n.OpType == "Reshape" && n.Name.StartsWith("/blocks/blocks.0/attn/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reshapes.Count);
        var targets = reshapes.Select(n => TensorData.Integers(g.Initializer.Single(t => t.Name == n.Input[1]))).ToList();
        Assert.Equal([0L, 17, 3, 3, 16], targets[0]);
        Assert.Equal([0L, 17, 48], targets[1]);
        // block 1 is unpruned: its chains are untouched
        Assert.Contains(g.Node, n => n.OpType == "Concat" && n.Name.StartsWith("/blocks/blocks.1/attn/", StringComparison.Ordinal));
        Assert.Equal("batch", g.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        PruneCheck.AssertValid(s, kept, pruned, batch: 1);
        PruneCheck.AssertValid(s, kept, pruned, batch: 3);
    }

    [Fact]
    public void Apply_StaticReshape_InitializerTargetRewritten()
    {
        var s = Analyze("vit_toy", opset: 13, isStatic: true);
        var qkvReshape = s.Model.Proto.Graph.Node.First(n => n.OpType == "Reshape" && n.Name.StartsWith("/blocks/blocks.1/attn/", StringComparison.Ordinal));
        Assert.Equal([1L, 17, 3, 4, 16], TensorData.Integers(s.Model.Proto.Graph.Initializer.Single(t => t.Name == qkvReshape.Input[1])));
        int[] genome = [4, 128, 1, 100];

        var (pruned, kept) = PruneCheck.Prune(s, genome, SelectionMethod.L1, 0);

        var node = pruned.Proto.Graph.Node.Single(n => n.Name == qkvReshape.Name);
        Assert.Equal([1L, 17, 3, 1, 16], TensorData.Integers(pruned.Proto.Graph.Initializer.Single(t => t.Name == node.Input[1])));
        Assert.Equal(VitMacs.Of(VitConfig.Toy, genome), ModelCost.Compute(pruned).Macs);
        PruneCheck.AssertValid(s, kept, pruned, batch: 1);
    }
}
