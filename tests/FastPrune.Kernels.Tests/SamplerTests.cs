using Xunit;

namespace FastPrune.Kernels.Tests;

public class SamplerTests
{
    /// <summary>Direct float64 convolution at one output position for one output channel.</summary>
    internal static double ConvAt(float[] input, float[] weight, ConvGeometry g, int h, int w, int b, int co, int oy, int ox)
    {
        int group = co / g.OutPerGroup;
        double sum = 0;
        for (int ci = 0; ci < g.InPerGroup; ci++)
            for (int ky = 0; ky < g.KernelH; ky++)
                for (int kx = 0; kx < g.KernelW; kx++)
                {
                    int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH, ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    int c = group * g.InPerGroup + ci;
                    sum += (double)input[((b * g.InChannels + c) * h + iy) * w + ix] * weight[((co * g.InPerGroup + ci) * g.KernelH + ky) * g.KernelW + kx];
                }
        return sum;
    }

    internal static float[] Conv(float[] input, float[] weight, ConvGeometry g, int n, int h, int w)
    {
        int oh = g.OutputH(h), ow = g.OutputW(w);
        var o = new float[n * g.OutChannels * oh * ow];
        for (int b = 0; b < n; b++)
            for (int co = 0; co < g.OutChannels; co++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                        o[((b * g.OutChannels + co) * oh + oy) * ow + ox] = (float)ConvAt(input, weight, g, h, w, b, co, oy, ox);
        return o;
    }

    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(2, 1, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(2, 1, 1, 2)]
    [InlineData(1, 1, 1, 4)]
    public void Sample_PatchTimesWeight_EqualsConvOutputIncludingBorders(int stride, int dilation, int pad, int groups)
    {
        // X·Wᵀ must reproduce Y exactly where the row came from, so border zero-padding is checked by the product.
        var g = new ConvGeometry(4, 8, 3, 3, stride, stride, pad, pad, pad + 1, pad, dilation, dilation, groups);
        const int n = 2, h = 9, w = 7;
        var input = Reference.Random(n * 4 * h * w, 1);
        var weight = Reference.Random(8 * g.InPerGroup * 9, 2);
        var output = Conv(input, weight, g, n, h, w);
        int oh = g.OutputH(h), ow = g.OutputW(w), d = oh * ow;
        var positions = new int[n * d];
        PatchSampler.DrawPositions(n, oh, ow, d, 7UL, positions);
        for (int group = 0; group < groups; group++)
        {
            var x = Enumerable.Repeat(float.NaN, n * d * g.PatchWidth).ToArray();
            var y = Enumerable.Repeat(float.NaN, n * d * g.OutPerGroup).ToArray();
            PatchSampler.Sample(g, group, input, n, h, w, output, positions, d, x, y);
            Assert.True(Reference.AllFinite(x) && Reference.AllFinite(y));
            for (int r = 0; r < n * d; r++)
                for (int co = 0; co < g.OutPerGroup; co++)
                {
                    double dot = 0;
                    for (int k = 0; k < g.PatchWidth; k++)
                        dot += (double)x[r * g.PatchWidth + k] * weight[(group * g.OutPerGroup + co) * g.PatchWidth + k];
                    Assert.True(Math.Abs(y[r * g.OutPerGroup + co] - dot) <= 1e-5 * (1 + Math.Abs(dot)), $"row {r} channel {co}");
                }
        }
    }

    [Fact]
    public void SampleInputs_SameGeometryAndPositions_WritesTheRowsSampleWrites()
    {
        // The X-only sampler that sequential reconstruction uses must draw exactly the rows of the full sampler.
        var g = new ConvGeometry(6, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1);
        const int n = 3, h = 8, w = 9, perImage = 7;
        var input = Reference.Random(n * 6 * h * w, 3);
        int oh = g.OutputH(h), ow = g.OutputW(w);
        var output = Reference.Random(n * 5 * oh * ow, 4);
        var positions = new int[n * perImage];
        PatchSampler.DrawPositions(n, oh, ow, perImage, 11UL, positions);
        var x = new float[n * perImage * g.PatchWidth];
        var y = new float[n * perImage * 5];
        PatchSampler.Sample(g, 0, input, n, h, w, output, positions, perImage, x, y);
        var xOnly = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        PatchSampler.SampleInputs(g, 0, input, n, h, w, positions, perImage, xOnly);
        Assert.Equal(x, xOnly);
        Assert.Throws<ArgumentException>(() => PatchSampler.SampleInputs(g, 0, input, n, h, w, positions, perImage, new float[x.Length - 1]));
    }

    [Fact]
    public void DrawPositions_SameSeed_SameDistinctPositions()
    {
        var a = new int[3 * 10];
        var b = new int[3 * 10];
        PatchSampler.DrawPositions(3, 4, 5, 10, 99UL, a);
        PatchSampler.DrawPositions(3, 4, 5, 10, 99UL, b);
        Assert.Equal(a, b);
        for (int i = 0; i < 3; i++)
        {
            var img = a.Skip(i * 10).Take(10).ToArray();
            Assert.Equal(10, img.Distinct().Count());
            Assert.All(img, p => Assert.InRange(p, 0, 19));
        }
        var c = new int[30];
        PatchSampler.DrawPositions(3, 4, 5, 10, 100UL, c);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void DrawPerImage_AnyBatching_SameRowsPerImage()
    {
        // Each image's rows come from (key, image index) alone, so batches of any size draw the same rows.
        const int n = 7, perImage = 6, tokens = 50;
        var positions = new int[n * perImage];
        var tokenRows = new int[n * perImage];
        PatchSampler.DrawPositionsPerImage(0, n, 5, 6, perImage, 42UL, positions);
        TokenSampler.DrawTokensPerImage(0, n, tokens, perImage - 1, 42UL, tokenRows);
        foreach (int cut in new[] { 1, 3, 6 })
        {
            var p = new int[n * perImage];
            var t = new int[n * perImage];
            PatchSampler.DrawPositionsPerImage(0, cut, 5, 6, perImage, 42UL, p.AsSpan(0, cut * perImage));
            PatchSampler.DrawPositionsPerImage(cut, n - cut, 5, 6, perImage, 42UL, p.AsSpan(cut * perImage));
            TokenSampler.DrawTokensPerImage(0, cut, tokens, perImage - 1, 42UL, t.AsSpan(0, cut * perImage));
            TokenSampler.DrawTokensPerImage(cut, n - cut, tokens, perImage - 1, 42UL, t.AsSpan(cut * perImage));
            Assert.Equal(positions, p);
            Assert.Equal(tokenRows, t);
        }
        for (int b = 0; b < n; b++)
        {
            Assert.Equal(perImage, positions.Skip(b * perImage).Take(perImage).Distinct().Count());
            Assert.Equal(0, tokenRows[b * perImage]);
        }
        // Images differ from each other and keys differ from each other.
        Assert.NotEqual(positions.Take(perImage), positions.Skip(perImage).Take(perImage));
        var other = new int[n * perImage];
        PatchSampler.DrawPositionsPerImage(0, n, 5, 6, perImage, 43UL, other);
        Assert.NotEqual(positions, other);
    }

    [Fact]
    public void DrawTokens_ClsFirstThenDistinctOthers_AndGatherCopiesRows()
    {
        const int n = 2, tokens = 197, k = 19, features = 6;
        var idx = new int[n * (k + 1)];
        TokenSampler.DrawTokens(n, tokens, k, new SplitMix64(5), idx);
        var again = new int[idx.Length];
        TokenSampler.DrawTokens(n, tokens, k, new SplitMix64(5), again);
        Assert.Equal(idx, again);
        for (int b = 0; b < n; b++)
        {
            Assert.Equal(0, idx[b * (k + 1)]);
            var others = idx.Skip(b * (k + 1) + 1).Take(k).ToArray();
            Assert.Equal(k, others.Distinct().Count());
            Assert.All(others, t => Assert.InRange(t, 1, tokens - 1));
        }
        var tensor = Reference.Random(n * tokens * features, 3);
        var rows = Enumerable.Repeat(float.NaN, idx.Length * features).ToArray();
        TokenSampler.Gather(tensor, n, tokens, features, idx, k + 1, rows);
        for (int r = 0; r < idx.Length; r++)
            for (int f = 0; f < features; f++)
                Assert.Equal(tensor[((r / (k + 1)) * tokens + idx[r]) * features + f], rows[r * features + f]);
    }

    [Fact]
    public void Argument_Failures_ThrowExactTypes()
    {
        var g = new ConvGeometry(4, 8, 3, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchSampler.DrawPositions(1, 2, 2, 5, 1UL, new int[5]));
        Assert.Throws<ArgumentException>(() => PatchSampler.DrawPositions(1, 2, 2, 3, 1UL, new int[4]));
        Assert.Throws<ArgumentNullException>(() => PatchSampler.DrawPositions(1, 2, 2, 3, null!, new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(4, 8, 3, 3, Groups: 3).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(4, 8, 3, 3, PadTop: -1).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvGeometry(4, 8, 0, 3).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchSampler.Sample(g, 1, new float[4 * 25], 1, 5, 5, new float[8 * 9], new int[1], 1, new float[36], new float[8]));
        Assert.Throws<ArgumentException>(() => PatchSampler.Sample(g, 0, new float[4 * 24], 1, 5, 5, new float[8 * 9], new int[1], 1, new float[36], new float[8]));
        Assert.Throws<ArgumentException>(() => PatchSampler.Sample(g, 0, new float[4 * 25], 1, 5, 5, new float[8 * 9], new int[1], 1, new float[35], new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchSampler.Sample(g, 0, new float[4 * 25], 1, 5, 5, new float[8 * 9], new[] { 9 }, 1, new float[36], new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.DrawTokens(1, 5, 5, new SplitMix64(1), new int[6]));
        Assert.Throws<ArgumentException>(() => TokenSampler.DrawTokens(1, 5, 2, new SplitMix64(1), new int[4]));
        Assert.Throws<ArgumentNullException>(() => TokenSampler.DrawTokens(1, 5, 2, null!, new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenSampler.Gather(new float[10], 1, 5, 2, new[] { 5 }, 1, new float[2]));
        Assert.Throws<ArgumentException>(() => TokenSampler.Gather(new float[9], 1, 5, 2, new[] { 1 }, 1, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SplitMix64(1).NextInt(0));
    }
}
