namespace FastPrune.Data;

/// <summary>
/// How decoded pixels become model input. Image folders: shorter side resized to <see cref="Resize"/>
/// (antialiased bilinear), centre crop to the model's H×W, scale to [0,1], then (x − mean)/std per channel.
/// IDX files: scale to [0,1], then (x − mean)/std. <c>.npy</c> tensors are taken as they are and ignore
/// these options.
/// </summary>
internal sealed record PreprocessOptions
{
    /// <summary>ImageNet channel means (RGB), the default for 3-channel models fed from image folders.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations (RGB).</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The defaults: resize from <see cref="CropFraction"/>, mean/std chosen by source and channel count.</summary>
    public static PreprocessOptions Default { get; } = new();

    /// <summary>
    /// Target length of the shorter image side before the centre crop; null means
    /// round(min(H, W) / <see cref="CropFraction"/>), i.e. 256 for a 224 model.
    /// </summary>
    public int? Resize { get; init; }

    /// <summary>Fraction of the resized shorter side the crop keeps when <see cref="Resize"/> is null (0.875).</summary>
    public double CropFraction { get; init; } = 0.875;

    /// <summary>
    /// Per-channel mean (one value, broadcast, or one per model channel); null means ImageNet for 3-channel
    /// models fed from image folders and 0 otherwise.
    /// </summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation, like <see cref="Mean"/>; null means ImageNet or 1.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>The shorter-side resize target for a model input of <paramref name="shape"/>.</summary>
    /// <param name="shape">The model input.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Resize"/> is not positive or <see cref="CropFraction"/> is not in (0, 1].</exception>
    public int ResolveResize(SampleShape shape)
    {
        if (Resize is { } r)
        {
            return r > 0 ? r : throw new ArgumentOutOfRangeException(nameof(Resize), r, "resize must be positive");
        }
        if (!(CropFraction > 0 && CropFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(CropFraction), CropFraction, "crop fraction must be in (0, 1]");
        }
        // Python-style round-half-even, as torchvision recipes compute int(round(224 / 0.875)).
        return (int)Math.Round(Math.Min(shape.Height, shape.Width) / CropFraction, MidpointRounding.ToEven);
    }

    /// <summary>Per-channel mean and std for <paramref name="channels"/> channels, defaults filled in.</summary>
    /// <param name="channels">The model's channel count.</param>
    /// <param name="imageNetDefaults">Whether a null mean/std means ImageNet (for 3 channels) rather than 0/1.</param>
    /// <exception cref="ArgumentException">Mean/std have a length other than 1 or <paramref name="channels"/>, a std is not positive, or a value is not finite.</exception>
    public (float[] Mean, float[] Std) ResolveNormalisation(int channels, bool imageNetDefaults)
    {
        bool imageNet = imageNetDefaults && channels == 3;
        float[] mean = Expand(Mean ?? (imageNet ? ImageNetMean : [0f]), channels, nameof(Mean));
        float[] std = Expand(Std ?? (imageNet ? ImageNetStd : [1f]), channels, nameof(Std));
        foreach (float s in std)
        {
            if (!(s > 0) || !float.IsFinite(s))
            {
                throw new ArgumentException($"every std must be positive and finite, got {s}", nameof(Std));
            }
        }
        foreach (float m in mean)
        {
            if (!float.IsFinite(m))
            {
                throw new ArgumentException($"every mean must be finite, got {m}", nameof(Mean));
            }
        }
        return (mean, std);
    }

    private static float[] Expand(IReadOnlyList<float> values, int channels, string name)
    {
        if (values.Count == channels)
        {
            return [.. values];
        }
        if (values.Count == 1)
        {
            return Enumerable.Repeat(values[0], channels).ToArray();
        }
        throw new ArgumentException($"{name} has {values.Count} values; the model has {channels} channels (give 1 or {channels})", name);
    }
}
