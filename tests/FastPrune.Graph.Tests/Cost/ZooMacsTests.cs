using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Cost;

/// <summary>ModelCost of the three reference networks against the published MACs, for every exporter variant the zoo writes.</summary>
public sealed class ZooMacsTests
{
    public static IEnumerable<object[]> Variants() =>
        from name in new[] { "resnet50", "mobilenetv1", "deit_base" }
        from opset in new[] { 11, 13, 17 }
        from isStatic in new[] { false, true }
        select new object[] { name, opset, isStatic };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_ZooVariant_MacsWithinTenthPercentOfPublished(string name, int opset, bool isStatic)
    {
        long published = name switch
        {
            "resnet50" => 4_089_184_256,
            "mobilenetv1" => 568_740_352,
            _ => 17_563_828_224,
        };
        var proto = name == "deit_base"
            ? ZooModels.Build(name, 1, new ZooOptions { Opset = opset, StaticBatch = isStatic })
            : ZooCache.Get(name, opset, isStatic);

        var cost = ModelCost.Compute(OnnxModel.FromProto(proto));

        Assert.InRange(cost.Macs, published * 0.999, published * 1.001);
        // Params are the float initializers: the published counts (torchvision 25,557,032 and 4,231,976, timm
        // 86,567,656) with BatchNorm folded, i.e. each BN channel's γ and β replaced by one conv bias
        // (ResNet50 has 26,560 BN channels, MobileNetV1 10,944; DeiT has no BN).
        long expectedParams = name switch
        {
            "resnet50" => 25_557_032 - 26_560,
            "mobilenetv1" => 4_231_976 - 10_944,
            _ => 86_567_656,
        };
        Assert.Equal(expectedParams, cost.Params);
    }
}
