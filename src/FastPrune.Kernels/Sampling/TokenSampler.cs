namespace FastPrune.Kernels;

/// <summary>
/// Samples transformer tokens for reconstruction of a linear layer: per image the cls token (index 0) plus k distinct
/// random others (the paper uses 1 + 19 of 197), as rows of the layer's input X and output Y.
/// </summary>
public static class TokenSampler
{
    /// <summary>Writes n·(k+1) token indices: for each image 0 first, then k distinct tokens from [1, tokens).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">n or tokens below 1, k negative, or k ≥ tokens.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is not n·(k+1) long.</exception>
    public static void DrawTokens(int n, int tokens, int k, SplitMix64 random, Span<int> indices)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, tokens);
        if (indices.Length != n * (k + 1))
            throw new ArgumentException($"indices has {indices.Length} elements, expected {n * (k + 1)}.", nameof(indices));
        for (int b = 0; b < n; b++)
        {
            indices[b * (k + 1)] = 0;
            random.Distinct(1, tokens - 1, indices.Slice(b * (k + 1) + 1, k));
        }
    }

    /// <summary>
    /// As <see cref="DrawTokens"/> for images [firstImage, firstImage+n), image i drawn from its own generator seeded by
    /// <see cref="SplitMix64.Derive"/>(key, i), so the tokens an image gets do not depend on the batch it came in.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n or tokens below 1, firstImage or k negative, or k ≥ tokens.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is not n·(k+1) long.</exception>
    public static void DrawTokensPerImage(int firstImage, int n, int tokens, int k, ulong key, Span<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstImage);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (indices.Length != n * (k + 1))
            throw new ArgumentException($"indices has {indices.Length} elements, expected {n * (k + 1)}.", nameof(indices));
        for (int b = 0; b < n; b++)
            DrawTokens(1, tokens, k, new SplitMix64(SplitMix64.Derive(key, (ulong)(firstImage + b))), indices.Slice(b * (k + 1), k + 1));
    }

    /// <summary>
    /// Gathers rows: for tensor (n, tokens, features) writes rows × features, row r = image r/(k+1), token indices[r].
    /// Use it on the layer input (X) and output (Y) with the same indices.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or an index is out of range.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void Gather(ReadOnlySpan<float> tensor, int n, int tokens, int features, ReadOnlySpan<int> indices, int perImage, Span<float> rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perImage, 1);
        if (tensor.Length != (long)n * tokens * features)
            throw new ArgumentException($"tensor has {tensor.Length} elements, expected {(long)n * tokens * features}.", nameof(tensor));
        if (indices.Length != n * perImage)
            throw new ArgumentException($"indices has {indices.Length} elements, expected {n * perImage}.", nameof(indices));
        if (rows.Length != (long)indices.Length * features)
            throw new ArgumentException($"rows has {rows.Length} elements, expected {(long)indices.Length * features}.", nameof(rows));
        for (int r = 0; r < indices.Length; r++)
        {
            int t = indices[r];
            if ((uint)t >= (uint)tokens)
                throw new ArgumentOutOfRangeException(nameof(indices), t, $"Token index at {r} is outside [0, {tokens}).");
            tensor.Slice(((r / perImage) * tokens + t) * features, features).CopyTo(rows.Slice(r * features, features));
        }
    }
}
