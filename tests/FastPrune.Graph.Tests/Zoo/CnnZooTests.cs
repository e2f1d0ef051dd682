using FastPrune.Graph.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

public sealed class CnnZooTests
{
    [Theory]
    [InlineData("resnet50")]
    [InlineData("mobilenetv1")]
    public void Build_DynamicBatch2_RunsInOrtWithFiniteDistinctLogits(string name)
    {
        var model = ZooModels.Build(name, seed: 1);
        float[] input = OrtRun.RandomInput(2 * 3 * 224 * 224, seed: 11);

        var logits = OrtRun.Run(model, input, [2, 3, 224, 224])["logits"];

        Assert.Equal([2L, 1000L], logits.Shape);
        OrtRun.AssertFinite(logits.Data);
        // Two different images must not collapse to one output (dead or saturated network).
        Assert.True(OrtRun.RelativeMaxError(logits.Data.AsSpan(0, 1000), logits.Data.AsSpan(1000)) > 1e-3);
    }

    [Theory]
    [InlineData("resnet50", ExpectedMacs.ResNet50)]
    [InlineData("mobilenetv1", ExpectedMacs.MobileNetV1)]
    public void Build_Batch1_MacsMatchPublished(string name, long expected)
    {
        var model = ZooModels.Build(name, seed: 2);
        float[] input = OrtRun.RandomInput(3 * 224 * 224, seed: 12);

        long macs = MacCounter.Count(model, input, [1, 3, 224, 224], out var outputs);

        Assert.Equal(expected, macs);
        Assert.Equal([1L, 1000L], outputs["logits"].Shape);
    }

    [Theory]
    [InlineData("resnet50", 53, 16)]
    [InlineData("mobilenetv1", 27, 0)]
    public void Build_Default_HasTorchEvalExportShape(string name, int convs, int adds)
    {
        var g = ZooModels.Build(name).Graph;

        Assert.Equal(convs, g.Node.Count(n => n.OpType == "Conv"));
        Assert.Equal(adds, g.Node.Count(n => n.OpType == "Add"));
        Assert.DoesNotContain(g.Node, n => n.OpType == "BatchNormalization");
        Assert.All(g.Node.Where(n => n.OpType == "Conv"), n => Assert.Equal(3, n.Input.Count));
        Assert.Equal("input", Assert.Single(g.Input).Name);
        Assert.Equal("batch", g.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal("logits", Assert.Single(g.Output).Name);
        Assert.Equal("batch", g.Output[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(g.Node.Count, g.Node.Select(n => n.Name).Distinct().Count());
    }

    [Fact]
    public void Build_Resnet50Names_FollowTorchScopes()
    {
        var names = ZooModels.Build("resnet50").Graph.Node.Select(n => n.Name).ToHashSet();

        Assert.Contains("/conv1/Conv", names);
        Assert.Contains("/maxpool/MaxPool", names);
        Assert.Contains("/layer1/layer1.0/downsample/downsample.0/Conv", names);
        Assert.Contains("/layer3/layer3.5/relu_2/Relu", names);
        Assert.Contains("/layer4/layer4.2/Add", names);
        Assert.Contains("/fc/Gemm", names);
    }

    [Fact]
    public void Build_StaticBatch_FixesBatchToOneAndRuns()
    {
        var model = ZooModels.Build("mobilenetv1", seed: 3, new ZooOptions { StaticBatch = true, Opset = 11 });

        var logits = OrtRun.Run(model, OrtRun.RandomInput(3 * 224 * 224, seed: 13), [1, 3, 224, 224])["logits"];

        Assert.Equal(1, model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue);
        Assert.Equal(11, model.OpsetImport[0].Version);
        Assert.Equal([1L, 1000L], logits.Shape);
        OrtRun.AssertFinite(logits.Data);
    }
}
