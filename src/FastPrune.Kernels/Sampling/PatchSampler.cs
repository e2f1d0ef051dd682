namespace FastPrune.Kernels;

/// <summary>
/// Samples conv patches for reconstruction: d output positions per image, the im2col row X of each (one group's
/// InPerGroup·kh·kw inputs, zero outside the padded border) and the matching output row Y (the group's OutPerGroup
/// channels). One group per call: each group is its own least-squares problem (a depthwise conv gives Cin problems
/// of kh·kw columns and one output each).
/// </summary>
public static class PatchSampler
{
    /// <summary>Draws <paramref name="perImage"/> distinct output positions (oy·ow + ox) per image into <paramref name="positions"/> (n·perImage).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or perImage exceeds outH·outW.</exception>
    /// <exception cref="ArgumentException"><paramref name="positions"/> is not n·perImage long.</exception>
    public static void DrawPositions(int n, int outH, int outW, int perImage, SplitMix64 random, Span<int> positions)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outH, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outW, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perImage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perImage, outH * outW);
        if (positions.Length != n * perImage)
            throw new ArgumentException($"positions has {positions.Length} elements, expected {n * perImage}.", nameof(positions));
        for (int b = 0; b < n; b++)
            random.Distinct(0, outH * outW, positions.Slice(b * perImage, perImage));
    }

    /// <summary>As <see cref="DrawPositions(int,int,int,int,SplitMix64,Span{int})"/> with a generator seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or perImage exceeds outH·outW.</exception>
    /// <exception cref="ArgumentException"><paramref name="positions"/> is not n·perImage long.</exception>
    public static void DrawPositions(int n, int outH, int outW, int perImage, ulong seed, Span<int> positions) =>
        DrawPositions(n, outH, outW, perImage, new SplitMix64(seed), positions);

    /// <summary>
    /// Draws <paramref name="perImage"/> distinct output positions for each of images [firstImage, firstImage+n), image i
    /// from its own generator seeded by <see cref="SplitMix64.Derive"/>(key, i): the positions an image gets do not depend
    /// on which batch it came in, so a run's rows are the same at any batch size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, firstImage is negative, or perImage exceeds outH·outW.</exception>
    /// <exception cref="ArgumentException"><paramref name="positions"/> is not n·perImage long.</exception>
    public static void DrawPositionsPerImage(int firstImage, int n, int outH, int outW, int perImage, ulong key, Span<int> positions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstImage);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (positions.Length != n * perImage)
            throw new ArgumentException($"positions has {positions.Length} elements, expected {n * perImage}.", nameof(positions));
        for (int b = 0; b < n; b++)
            DrawPositions(1, outH, outW, perImage, new SplitMix64(SplitMix64.Derive(key, (ulong)(firstImage + b))), positions.Slice(b * perImage, perImage));
    }

    /// <summary>
    /// Writes X (n·perImage rows × <see cref="ConvGeometry.PatchWidth"/>) and Y (n·perImage rows × OutPerGroup) for
    /// <paramref name="group"/>. Input is NCHW (n, Cin, h, w); output NCHW (n, Cout, oh, ow) with oh, ow from the geometry.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The geometry is invalid, the group is out of range, or a position is outside the output.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void Sample(ConvGeometry geometry, int group, ReadOnlySpan<float> input, int n, int h, int w,
        ReadOnlySpan<float> output, ReadOnlySpan<int> positions, int perImage, Span<float> x, Span<float> y)
    {
        SampleInputs(geometry, group, input, n, h, w, positions, perImage, x);
        int oh = geometry.OutputH(h), ow = geometry.OutputW(w), cout = geometry.OutChannels, outWidth = geometry.OutPerGroup;
        int rows = n * perImage, o0 = group * outWidth;
        Check(output, (long)n * cout * oh * ow, nameof(output));
        Check(y, (long)rows * outWidth, nameof(y));
        for (int row = 0; row < rows; row++)
        {
            int b = row / perImage, pos = positions[row];
            var yr = y.Slice(row * outWidth, outWidth);
            for (int co = 0; co < outWidth; co++)
                yr[co] = output[((b * cout) + o0 + co) * oh * ow + pos];
        }
    }

    /// <summary>
    /// Writes only X (n·perImage rows × <see cref="ConvGeometry.PatchWidth"/>) for <paramref name="group"/>: sequential
    /// reconstruction reads a layer's input from the stored frontier, where its output does not exist yet.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The geometry is invalid, the group is out of range, or a position is outside the output.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void SampleInputs(ConvGeometry geometry, int group, ReadOnlySpan<float> input, int n, int h, int w,
        ReadOnlySpan<int> positions, int perImage, Span<float> x)
    {
        geometry.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(group, geometry.Groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perImage, 1);
        int oh = geometry.OutputH(h), ow = geometry.OutputW(w);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(oh, ow), 1, "output size");
        int cin = geometry.InChannels, width = geometry.PatchWidth;
        int rows = n * perImage;
        Check(input, (long)n * cin * h * w, nameof(input));
        Check(positions, rows, nameof(positions));
        Check(x, (long)rows * width, nameof(x));

        int kh = geometry.KernelH, kw = geometry.KernelW, c0 = group * geometry.InPerGroup;
        for (int row = 0; row < rows; row++)
        {
            int b = row / perImage, pos = positions[row];
            if ((uint)pos >= (uint)(oh * ow))
                throw new ArgumentOutOfRangeException(nameof(positions), pos, $"Position at {row} is outside the {oh}×{ow} output.");
            int oy = pos / ow, ox = pos % ow;
            var xr = x.Slice(row * width, width);
            int col = 0;
            for (int ci = 0; ci < geometry.InPerGroup; ci++)
            {
                var plane = input.Slice(((b * cin) + c0 + ci) * h * w, h * w);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * geometry.StrideH - geometry.PadTop + ky * geometry.DilationH;
                    for (int kx = 0; kx < kw; kx++, col++)
                    {
                        int ix = ox * geometry.StrideW - geometry.PadLeft + kx * geometry.DilationW;
                        xr[col] = (uint)iy < (uint)h && (uint)ix < (uint)w ? plane[iy * w + ix] : 0f;
                    }
                }
            }
        }
    }

    private static void Check<T>(ReadOnlySpan<T> span, long expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"{name} has {span.Length} elements, expected {expected}.", name);
    }
}
