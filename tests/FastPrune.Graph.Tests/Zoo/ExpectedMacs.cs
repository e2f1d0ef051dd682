using FastPrune.Graph.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

/// <summary>Published per-image MAC counts and closed-form formulas the zoo is checked against.</summary>
internal static class ExpectedMacs
{
    /// <summary>torchvision ResNet-50 at 224 (convs + fc).</summary>
    public const long ResNet50 = 4_089_184_256;

    /// <summary>MobileNetV1 1.0/224 (convs + fc).</summary>
    public const long MobileNetV1 = 568_740_352;

    /// <summary>DeiT-Base/16 at 224 including the two attention matmuls.</summary>
    public const long DeitBase = 17_563_828_224;

    /// <summary>
    /// Closed-form ViT MACs per image: patch-embed conv, per block qkv + q·kᵀ + attn·v + proj + MLP,
    /// and the head. Written from the architecture, not from the graph.
    /// </summary>
    public static long Vit(VitConfig c)
    {
        long t = c.Tokens, d = c.Width, patches = t - 1;
        long patch = patches * d * (3L * c.PatchSize * c.PatchSize);
        long block = (t * d * 3 * d) + (2 * c.Heads * t * t * c.HeadDim) + (t * d * d) + (2 * t * d * c.MlpDim);
        return patch + (c.Depth * block) + (d * c.Classes);
    }

    /// <summary>The legacy CNN, layer by layer (output pixels · Cout · Cin/group · k²).</summary>
    public static long LegacyCnn =>
        (32 * 32 * 16 * 3 * 9) // conv1
        + (2 * 32 * 32 * 16 * 16 * 9) // residual convs
        + (16 * 16 * 16 * 9) // depthwise /2
        + (16 * 16 * 32 * 16) // pointwise
        + (32 * 8 * 8 * 10); // fc
}
