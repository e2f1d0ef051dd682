using FastPrune.Graph.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

public sealed class SmallZooTests
{
    [Fact]
    public void BuildLegacyCnn_Batch1_RunsAndMacsMatchLayerSum()
    {
        var model = ZooModels.BuildLegacyCnn(seed: 4);

        long macs = MacCounter.Count(model, OrtRun.RandomInput(3 * 32 * 32, seed: 14), [1, 3, 32, 32], out var outputs);

        Assert.Equal(ExpectedMacs.LegacyCnn, macs);
        var logits = Assert.Single(outputs).Value;
        Assert.Equal([1L, 10L], logits.Shape);
        OrtRun.AssertFinite(logits.Data);
    }

    [Fact]
    public void BuildLegacyCnn_Default_LooksLikeAnOpset9Export()
    {
        var model = ZooModels.BuildLegacyCnn();
        var g = model.Graph;

        Assert.Equal(9, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(4, model.IrVersion);
        Assert.Equal(5, g.Node.Count(n => n.OpType == "BatchNormalization"));
        Assert.Contains(g.Node, n => n.OpType == "Conv" && n.Attribute.Single(a => a.Name == "group").I == 16);
        Assert.Single(g.Node, n => n.OpType == "Add");
        Assert.All(g.Node, n => Assert.Equal("", n.Name));
        Assert.All(g.Node.SelectMany(n => n.Output).Concat(g.Initializer.Select(t => t.Name)), t => Assert.True(long.TryParse(t, out _), t));
        Assert.Equal("0", g.Input[0].Name);
        Assert.Equal(1 + g.Initializer.Count, g.Input.Count);
        Assert.Empty(g.ValueInfo);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BuildVit_ToyBatch2_RunsAndMacsMatchFormula(bool separateQkv)
    {
        var config = VitConfig.Toy with { SeparateQkv = separateQkv };
        var model = ZooModels.BuildVit(config, seed: 6);

        long macs = MacCounter.Count(model, OrtRun.RandomInput(2 * 3 * 32 * 32, seed: 16), [2, 3, 32, 32], out var outputs);

        Assert.Equal(2 * ExpectedMacs.Vit(config), macs);
        Assert.Equal([2L, 10L], outputs["logits"].Shape);
        OrtRun.AssertFinite(outputs["logits"].Data);
    }

    [Fact]
    public void BuildSeparateQkvVit_Default_HasThreeProjectionsPerBlock()
    {
        var g = ZooModels.BuildSeparateQkvVit().Graph;

        foreach (string which in new[] { "q", "k", "v", "proj" })
        {
            Assert.Contains(g.Node, n => n.Name == $"/blocks/blocks.1/attn/{which}/MatMul");
            Assert.Contains(g.Initializer, t => t.Name == $"blocks.1.attn.{which}.bias");
        }

        Assert.DoesNotContain(g.Node, n => n.Name.Contains("/qkv/", StringComparison.Ordinal));
        // Per block: q, k, v, proj, fc1, fc2 and the two attention products.
        Assert.Equal(VitConfig.Toy.Depth * 8, g.Node.Count(n => n.OpType == "MatMul"));
    }

    /// <summary>
    /// Every export variant of one network must compute the same function for one seed: opset 11
    /// (Unsqueeze axes attribute), 13 (axes input), 17 (LayerNormalization op) and static shapes.
    /// </summary>
    [Theory]
    [InlineData("vit_toy", 11, false)]
    [InlineData("vit_toy", 17, false)]
    [InlineData("vit_toy", 13, true)]
    [InlineData("vit_toy_sepqkv", 11, false)]
    [InlineData("vit_toy_sepqkv", 17, true)]
    [InlineData("mobilenetv1", 17, true)]
    public void Build_OtherVariant_SameLogitsAsOpset13Dynamic(string name, int opset, bool staticBatch)
    {
        int side = name == "mobilenetv1" ? 224 : 32;
        float[] input = OrtRun.RandomInput(3 * side * side, seed: 17);
        long[] shape = [1, 3, side, side];
        var baseline = OrtRun.Run(ZooModels.Build(name, seed: 8), input, shape)["logits"];
        var variant = ZooModels.Build(name, seed: 8, new ZooOptions { Opset = opset, StaticBatch = staticBatch });

        var logits = OrtRun.Run(variant, input, shape)["logits"];

        Assert.Equal(opset, variant.OpsetImport[0].Version);
        Assert.Equal(baseline.Shape, logits.Shape);
        Assert.True(OrtRun.RelativeMaxError(logits.Data, baseline.Data) < 1e-4);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(17)]
    public void BuildVit_Opset_UsesThatOpsetsPatterns(int opset)
    {
        var g = ZooModels.Build("vit_toy", options: new ZooOptions { Opset = opset }).Graph;
        int norms = (2 * VitConfig.Toy.Depth) + 1;

        Assert.Equal(opset >= 17 ? norms : 0, g.Node.Count(n => n.OpType == "LayerNormalization"));
        Assert.Equal(opset >= 17 ? 0 : 2 * norms, g.Node.Count(n => n.OpType == "ReduceMean"));
        var unsqueeze = g.Node.Where(n => n.OpType == "Unsqueeze").ToList();
        Assert.NotEmpty(unsqueeze);
        Assert.All(unsqueeze, n => Assert.Equal(opset >= 13 ? 2 : 1, n.Input.Count));
        Assert.All(unsqueeze, n => Assert.Equal(opset >= 13 ? 0 : 1, n.Attribute.Count));
    }
}
