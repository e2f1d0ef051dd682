using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>
/// The torchvision exports of tests/fixtures/families (tools/fixtures/export_families.py): every family prunes,
/// pruned graphs run in ONNX Runtime with the MACs we report, and every gene at 10 % of its maximum leaves at most
/// 15 % of the MACs (issue 10's goal).
/// </summary>
public sealed class FamilyFixtureTests
{
    private static ModelProto Load(string name) => OnnxModel.Load(Path.Combine(Repo.Root, "tests", "fixtures", "families", name + ".onnx")).Proto;

    [Theory]
    [InlineData("mobilenet_v2", true)]
    [InlineData("mobilenet_v3_small", true)] // SE with HardSigmoid
    [InlineData("efficientnet_b0", true)]    // SE with Sigmoid, SiLU
    [InlineData("resnext", true)]            // grouped convs
    [InlineData("regnet_y", true)]           // grouped convs with SE
    [InlineData("googlenet", true)]          // concat
    [InlineData("shufflenet_v2", true)]      // channel shuffle
    [InlineData("convnext", false)]          // channel-last LayerNorm over pruned channels
    [InlineData("vit_b16", true)]            // torch nn.MultiheadAttention
    public void Prune_Family_RunsInOrtWithReportedMacs(string name, bool masked)
    {
        var s = FamilyCheck.AssertPrunes(Load(name), batch: 2, seed: 23, masked);

        Assert.All(s.Frozen, f => Assert.Contains("(at node '", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("efficientnet_b0")]
    [InlineData("resnext")]
    [InlineData("regnet_y")]
    [InlineData("googlenet")]
    [InlineData("shufflenet_v2")]
    [InlineData("convnext")]
    // not vit_b16: its embedding width stays frozen as DeiT's does (the paper prunes heads and MLP widths only), and at the
    // fixture's 32×32 input its patch embedding alone is 14 % of the MACs (0.7 % at ViT-B/16's 224×224)
    public void GenomeCost_EveryGeneAtTenPercent_LeavesAtMost15PercentOfMacs(string name)
    {
        var s = PrunableStructure.Analyze(OnnxModel.FromProto(Load(name)));

        Assert.InRange(FamilyCheck.TenPercentMacs(s), 0, 0.15);
    }

    /// <summary>These need shape rules (Pad, ConvTranspose, Resize) that the `shapes` branch adds. Not here: mobilenet_v2_dynamic_hw
    /// (its input shape must be fixed, that branch's API and tests) and swin_t (its window Pad takes pads computed from
    /// the input size, which shape inference does not evaluate, so its trunk freezes; heads freeze on the relative position
    /// bias, a Gather from a table, not an initializer).</summary>
    [Theory(Skip = "needs the Pad, ConvTranspose and Resize shape rules of branch 'shapes'; un-skip after merging it")]
    [InlineData("densenet", true)]
    [InlineData("fpn", true)]
    public void Prune_FamilyNeedingShapeRules_RunsInOrtWithReportedMacs(string name, bool masked) =>
        FamilyCheck.AssertPrunes(Load(name), batch: 2, seed: 23, masked);
}
