using FastPrune.Graph.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

/// <summary>
/// Builds and runs the dynamic DeiT-Base once (batch 2, the exact model bytes); the tests share the
/// logits, so the 330 MB network is built and run only twice in the whole class.
/// </summary>
public sealed class DeitBaseFixture
{
    public const ulong Seed = 5;

    public DeitBaseFixture()
    {
        Input = OrtRun.RandomInput(2 * 3 * 224 * 224, seed: 15);
        var model = ZooModels.Build("deit_base", Seed);
        InputName = model.Graph.Input[0].Name;
        BatchDim = model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam;
        Logits = OrtRun.Run(model, Input, [2, 3, 224, 224])["logits"];
    }

    public float[] Input { get; }

    public string InputName { get; }

    public string BatchDim { get; }

    public OrtRun.Result Logits { get; }
}

[Trait("Category", "Slow")] // whole searches or full-size networks: left out by tools/test.sh --fast
public sealed class DeitBaseTests(DeitBaseFixture deit) : IClassFixture<DeitBaseFixture>
{
    [Fact]
    public void Build_DeitBaseDynamicBatch2_RunsWithFiniteDistinctLogits()
    {
        Assert.Equal("input", deit.InputName);
        Assert.Equal("batch", deit.BatchDim);
        Assert.Equal([2L, 1000L], deit.Logits.Shape);
        OrtRun.AssertFinite(deit.Logits.Data);
        Assert.True(OrtRun.RelativeMaxError(deit.Logits.Data.AsSpan(0, 1000), deit.Logits.Data.AsSpan(1000)) > 1e-3);
    }

    [Fact]
    public void Build_DeitBaseStatic_MacsMatchPublishedAndLogitsMatchDynamic()
    {
        var model = ZooModels.Build("deit_base", DeitBaseFixture.Seed, new ZooOptions { StaticBatch = true });

        long macs = MacCounter.Count(model, deit.Input.AsSpan(0, 3 * 224 * 224).ToArray(), [1, 3, 224, 224], out var outputs);

        // The formula is exact, so the 0.1 % allowance of the brief is not needed: assert equality.
        Assert.Equal(ExpectedMacs.DeitBase, ExpectedMacs.Vit(VitConfig.DeitBase));
        Assert.Equal(ExpectedMacs.DeitBase, macs);
        var logits = outputs["logits"];
        Assert.Equal([1L, 1000L], logits.Shape);
        OrtRun.AssertFinite(logits.Data);
        Assert.True(OrtRun.RelativeMaxError(logits.Data, deit.Logits.Data) < 1e-4);
    }

    [Fact]
    public void Build_DeitBaseStatic_HasNoShapeChains()
    {
        var g = ZooModels.Build("deit_base", DeitBaseFixture.Seed, new ZooOptions { StaticBatch = true }).Graph;

        Assert.DoesNotContain(g.Node, n => n.OpType is "Shape" or "Expand" or "Unsqueeze");
        Assert.Equal(1 + (12 * 2), g.Node.Count(n => n.OpType == "Reshape"));
        Assert.All(
            g.Node.Where(n => n.OpType == "Reshape"),
            n => Assert.Contains(g.Initializer, t => t.Name == n.Input[1] && t.DataType == (int)FastPrune.Graph.Building.ElemType.Int64));
    }
}
