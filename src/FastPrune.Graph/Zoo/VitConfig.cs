namespace FastPrune.Graph.Zoo;

/// <summary>
/// Size of a timm-style vision transformer written by <see cref="ZooModels.BuildVit"/>: patch-embed
/// conv, class token, learned position embedding, pre-norm blocks, class-token head.
/// </summary>
/// <param name="ImageSize">Input height and width.</param>
/// <param name="PatchSize">Patch-embed kernel and stride; must divide <paramref name="ImageSize"/>.</param>
/// <param name="Width">Embedding width; must be a multiple of <paramref name="Heads"/>.</param>
/// <param name="Depth">Number of blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="MlpDim">Hidden width of the MLP.</param>
/// <param name="Classes">Classifier outputs.</param>
/// <param name="SeparateQkv">Write q, k and v as three Linear layers instead of one fused qkv Linear.</param>
public sealed record VitConfig(int ImageSize, int PatchSize, int Width, int Depth, int Heads, int MlpDim, int Classes, bool SeparateQkv = false)
{
    /// <summary>timm <c>deit_base_patch16_224</c>.</summary>
    public static VitConfig DeitBase { get; } = new(224, 16, 768, 12, 12, 3072, 1000);

    /// <summary>timm <c>deit_small_patch16_224</c>.</summary>
    public static VitConfig DeitSmall { get; } = new(224, 16, 384, 12, 6, 1536, 1000);

    /// <summary>timm <c>deit_tiny_patch16_224</c>.</summary>
    public static VitConfig DeitTiny { get; } = new(224, 16, 192, 12, 3, 768, 1000);

    /// <summary>A toy ViT for topology tests: 32×32 input, 8×8 patches (17 tokens), width 64, 2 blocks, 4 heads, 10 classes.</summary>
    public static VitConfig Toy { get; } = new(32, 8, 64, 2, 4, 128, 10);

    /// <summary>Per-head width.</summary>
    public int HeadDim => Width / Heads;

    /// <summary>Tokens per image including the class token.</summary>
    public int Tokens => (ImageSize / PatchSize) * (ImageSize / PatchSize) + 1;

    internal void Validate()
    {
        if (ImageSize <= 0 || PatchSize <= 0 || Width <= 0 || Depth <= 0 || Heads <= 0 || MlpDim <= 0 || Classes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(VitConfig), this, "Every ViT size must be positive.");
        }

        if (ImageSize % PatchSize != 0 || Width % Heads != 0)
        {
            throw new ArgumentException($"{this}: PatchSize must divide ImageSize and Heads must divide Width.", nameof(VitConfig));
        }
    }
}
