using Xunit;

namespace FastPrune.Kernels.Tests;

public class SyntheticConvTests
{
    public static TheoryData<string> Devices => Engines.All();

    [Trait("Category", "Slow")] // a whole reconstruction on each device: left out by tools/test.sh --fast
    [Theory]
    [MemberData(nameof(Devices))]
    public void Reconstruct_HalfInputChannelsDropped_HeldOutErrorFarBelowSlicing(string device)
    {
        // Correlated input channels (as in real feature maps) are what lets least squares recover the dropped ones.
        var g = new ConvGeometry(8, 6, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        const int n = 6, h = 10, w = 10, latent = 4;
        var basis = Reference.Random(n * latent * h * w, 1);
        var mix = Reference.Random(8 * latent, 2);
        var noise = Reference.Random(n * 8 * h * w, 3, -0.05f, 0.05f);
        var input = new float[n * 8 * h * w];
        for (int b = 0; b < n; b++)
            for (int c = 0; c < 8; c++)
                for (int p = 0; p < h * w; p++)
                {
                    float v = noise[(b * 8 + c) * h * w + p];
                    for (int l = 0; l < latent; l++) v += mix[c * latent + l] * basis[(b * latent + l) * h * w + p];
                    input[(b * 8 + c) * h * w + p] = v;
                }
        var weight = Reference.Random(6 * 8 * 9, 4);
        var output = SamplerTests.Conv(input, weight, g, n, h, w);

        // Train on 3 images' patches, evaluate on the other 3 (held out).
        int d = 60, rowsPer = 3 * d, width = g.PatchWidth;
        var positions = new int[n * d];
        PatchSampler.DrawPositions(n, h, w, d, 11UL, positions);
        var x = new float[n * d * width];
        var y = new float[n * d * 6];
        PatchSampler.Sample(g, 0, input, n, h, w, output, positions, d, x, y);

        var engine = Engines.Get(device);
        using var acc = engine.CreateAccumulator(width, 6);
        acc.Add(x.AsSpan(0, rowsPer * width), y.AsSpan(0, rowsPer * 6), rowsPer);
        int[] keptChannels = { 0, 2, 5, 7 };
        var keptIn = keptChannels.SelectMany(c => Enumerable.Range(c * 9, 9)).ToArray();
        var result = engine.SolveBatch(new[] { acc.Gather(keptIn, Enumerable.Range(0, 6).ToArray(), "conv") })[0];

        double errRecon = 0, errSlice = 0, norm = 0;
        for (int r = rowsPer; r < n * d; r++)
            for (int co = 0; co < 6; co++)
            {
                double recon = 0, slice = 0;
                for (int k = 0; k < keptIn.Length; k++)
                {
                    double xv = x[r * width + keptIn[k]];
                    recon += xv * result.Weights[k * 6 + co];
                    slice += xv * weight[co * width + keptIn[k]];
                }
                double target = y[r * 6 + co];
                errRecon += (recon - target) * (recon - target);
                errSlice += (slice - target) * (slice - target);
                norm += target * target;
            }
        double relRecon = Math.Sqrt(errRecon / norm), relSlice = Math.Sqrt(errSlice / norm);
        Assert.True(relRecon < 0.25 * relSlice, $"reconstructed {relRecon:F4} vs sliced {relSlice:F4}");
    }
}
