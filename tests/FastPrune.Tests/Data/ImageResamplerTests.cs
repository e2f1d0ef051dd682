using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class ImageResamplerTests
{
    // Antialiased bilinear written from its definition, in float64: every source pixel j (centre j + 0.5)
    // weighs max(0, 1 − |j + 0.5 − centre| / max(scale, 1)), normalised; no window bookkeeping.
    private static double[] Weights(int inSize, int outSize, int o)
    {
        double scale = (double)inSize / outSize, fs = Math.Max(scale, 1), centre = (o + 0.5) * scale;
        var w = new double[inSize];
        double total = 0;
        for (int j = 0; j < inSize; j++)
        {
            w[j] = Math.Max(0, 1 - Math.Abs((j + 0.5 - centre) / fs));
            total += w[j];
        }
        return [.. w.Select(v => v / total)];
    }

    private static double[] Reference(byte[] rgba, int w, int h, ResizeGeometry g, SampleShape s, float[] mean, float[] std)
    {
        var result = new double[s.Length];
        int plane = s.Height * s.Width;
        for (int y = 0; y < s.Height; y++)
        {
            double[] wy = Weights(h, g.ResizedHeight, y + g.Top);
            for (int x = 0; x < s.Width; x++)
            {
                double[] wx = Weights(w, g.ResizedWidth, x + g.Left);
                var rgb = new double[3];
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        for (int c = 0; c < 3; c++)
                        {
                            rgb[c] += wy[i] * wx[j] * rgba[(i * w + j) * 4 + c];
                        }
                    }
                }
                if (s.Channels == 1)
                {
                    result[y * s.Width + x] = ((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255 - mean[0]) / std[0];
                }
                else
                {
                    for (int c = 0; c < 3; c++)
                    {
                        result[c * plane + y * s.Width + x] = (rgb[c] / 255 - mean[c]) / std[c];
                    }
                }
            }
        }
        return result;
    }

    [Theory]
    [InlineData(37, 23, 3, 16, 12, 20, 1)]  // shrink, non-square model input
    [InlineData(23, 37, 3, 12, 16, 17, 2)]  // shrink, portrait image, odd margins
    [InlineData(9, 7, 3, 16, 16, 16, 3)]    // enlarge
    [InlineData(50, 31, 1, 8, 8, 9, 4)]     // strong shrink to luma
    public void Process_RandomImage_MatchesFloat64Reference(int w, int h, int c, int outH, int outW, int resize, int seed)
    {
        byte[] rgba = Fixtures.RandomRgba(w, h, seed);
        var shape = new SampleShape(c, outH, outW);
        ResizeGeometry g = ResizeGeometry.Compute(w, h, resize, outH, outW);
        var rng = new Random(seed + 100);
        float[] mean = [.. Enumerable.Range(0, c).Select(_ => (float)rng.NextDouble())];
        float[] std = [.. Enumerable.Range(0, c).Select(_ => 0.1f + (float)rng.NextDouble())];
        var output = new float[shape.Length];
        Array.Fill(output, float.NaN);

        ImageResampler.Process(rgba, w, h, g, shape, mean, std, output);

        double[] expected = Reference(rgba, w, h, g, shape, mean, std);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        double err = 0, norm = 0;
        for (int i = 0; i < output.Length; i++)
        {
            err += (output[i] - expected[i]) * (output[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        Assert.True(Math.Sqrt(err / norm) < 1e-5, $"relative error {Math.Sqrt(err / norm)}");
    }

    [Fact]
    public void Process_FourChannels_ThrowsArgumentException()
    {
        var shape = new SampleShape(4, 2, 2);
        Assert.Throws<ArgumentException>(() => ImageResampler.Process(
            new byte[16], 2, 2, new ResizeGeometry(2, 2, 0, 0), shape, new float[4], new float[4], new float[16]));
    }
}
