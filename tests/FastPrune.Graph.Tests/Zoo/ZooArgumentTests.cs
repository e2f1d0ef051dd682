using FastPrune.Graph.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

public sealed class ZooArgumentTests
{
    [Fact]
    public void Build_NullName_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => ZooModels.Build(null!));

    [Fact]
    public void Build_UnknownName_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => ZooModels.Build("resnet18"));

    [Theory]
    [InlineData(10)]
    [InlineData(18)]
    public void Build_OpsetOutsideRange_ThrowsArgumentOutOfRange(int opset) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ZooModels.Build("vit_toy", options: new ZooOptions { Opset = opset }));

    [Fact]
    public void Build_LegacyCnnWithOptions_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => ZooModels.Build("legacy_cnn", options: ZooOptions.Default));

    [Fact]
    public void BuildVit_NullConfig_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => ZooModels.BuildVit(null!));

    [Fact]
    public void BuildVit_PatchNotDividingImage_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => ZooModels.BuildVit(VitConfig.Toy with { PatchSize = 7 }));

    [Fact]
    public void BuildVit_ZeroDepth_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ZooModels.BuildVit(VitConfig.Toy with { Depth = 0 }));

    [Theory]
    [InlineData("deit_small")]
    [InlineData("deit_tiny")]
    public void Build_SmallerDeit_RunsAndMacsMatchFormula(string name)
    {
        var config = name == "deit_small" ? VitConfig.DeitSmall : VitConfig.DeitTiny;
        var model = ZooModels.Build(name, seed: 9);

        long macs = MacCounter.Count(model, OrtRun.RandomInput(3 * 224 * 224, seed: 19), [1, 3, 224, 224], out var outputs);

        Assert.Equal(ExpectedMacs.Vit(config), macs);
        Assert.Equal([1L, 1000L], outputs["logits"].Shape);
        OrtRun.AssertFinite(outputs["logits"].Data);
    }

    [Fact]
    public void Names_EveryName_Builds()
    {
        foreach (string name in ZooModels.Names.Where(n => n is not ("deit_base" or "resnet50")))
        {
            var m = ZooModels.Build(name);
            Assert.NotEmpty(m.Graph.Node);
            Assert.Single(m.Graph.Output);
        }
    }
}
