using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// Full-size reference networks with seeded random weights, written with the op patterns and names
/// that <c>torch.onnx.export</c> produces in eval mode (BatchNorm folded, dynamic <c>"batch"</c> dim,
/// input <c>"input"</c>, output <c>"logits"</c>), plus small models in older exporters' style for
/// topology tests. Same name, seed and options always give a byte-identical model.
/// </summary>
public static class ZooModels
{
    /// <summary>Names accepted by <see cref="Build"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["resnet50", "mobilenetv1", "deit_base", "deit_small", "deit_tiny", "vit_toy", "vit_toy_sepqkv", "legacy_cnn"];

    /// <summary>
    /// Builds a named network: <c>resnet50</c> (torchvision, 4,089,184,256 MACs), <c>mobilenetv1</c>
    /// (1.0/224, 568,740,352 MACs), <c>deit_base</c>/<c>deit_small</c>/<c>deit_tiny</c> (timm, patch 16, 224),
    /// <c>vit_toy</c>/<c>vit_toy_sepqkv</c> (<see cref="VitConfig.Toy"/>, fused or separate q/k/v) and
    /// <c>legacy_cnn</c> (<see cref="BuildLegacyCnn"/>).
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Seed for the random weights.</param>
    /// <param name="options">Opset and batch variant; <see langword="null"/> means <see cref="ZooOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is unknown, or options were given for <c>legacy_cnn</c> (fixed at opset 9, batch 1).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' opset is outside 11–17.</exception>
    public static ModelProto Build(string name, ulong seed = 0, ZooOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "legacy_cnn")
        {
            return options is null
                ? BuildLegacyCnn(seed)
                : throw new ArgumentException("legacy_cnn is fixed at opset 9 and batch 1; pass no options.", nameof(options));
        }

        options ??= ZooOptions.Default;
        options.Validate();
        return name switch
        {
            "resnet50" => ResNet50Writer.Write(seed, options),
            "mobilenetv1" => MobileNetV1Writer.Write(seed, options),
            "deit_base" => VitWriter.Write(VitConfig.DeitBase, seed, options),
            "deit_small" => VitWriter.Write(VitConfig.DeitSmall, seed, options),
            "deit_tiny" => VitWriter.Write(VitConfig.DeitTiny, seed, options),
            "vit_toy" => VitWriter.Write(VitConfig.Toy, seed, options),
            "vit_toy_sepqkv" => VitWriter.Write(VitConfig.Toy with { SeparateQkv = true }, seed, options),
            _ => throw new ArgumentException($"Unknown zoo model '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>Builds a timm-style ViT of any size (see <see cref="VitConfig"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is null.</exception>
    /// <exception cref="ArgumentException">PatchSize does not divide ImageSize or Heads does not divide DimSpec.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the opset is outside 11–17.</exception>
    public static ModelProto BuildVit(VitConfig config, ulong seed = 0, ZooOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        options ??= ZooOptions.Default;
        options.Validate();
        return VitWriter.Write(config, seed, options);
    }

    /// <summary>The toy ViT (<see cref="VitConfig.Toy"/>) with separate q, k and v Linear layers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The opset is outside 11–17.</exception>
    public static ModelProto BuildSeparateQkvVit(ulong seed = 0, ZooOptions? options = null) =>
        BuildVit(VitConfig.Toy with { SeparateQkv = true }, seed, options);

    /// <summary>
    /// A small opset-9 CNN in old-exporter style (numeric tensor names, unfolded BatchNorm, a residual
    /// Add and a depthwise conv, initializers listed as inputs, batch 1, input 1×3×32×32, 10 classes).
    /// </summary>
    public static ModelProto BuildLegacyCnn(ulong seed = 0) => LegacyCnnWriter.Write(seed);
}
