using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class ResizeGeometryTests
{
    [Theory]
    // torchvision: Resize(256) of 500×375 → 341×256 (int(256·500/375)), CenterCrop(224) offset round(117/2) = 58 (half to even), 16.
    [InlineData(500, 375, 256, 224, 224, 341, 256, 58, 16)]
    [InlineData(375, 500, 256, 224, 224, 256, 341, 16, 58)]
    [InlineData(224, 224, 256, 224, 224, 256, 256, 16, 16)]
    [InlineData(40, 20, 10, 10, 10, 20, 10, 5, 0)]
    // Resize 100 cannot hold a 224 crop: the scale is raised until it fits.
    [InlineData(300, 200, 100, 224, 224, 336, 224, 56, 0)]
    public void Compute_KnownSizes_MatchesTorchvision(int w, int h, int shorter, int ch, int cw, int rw, int rh, int left, int top)
    {
        Assert.Equal(new ResizeGeometry(rw, rh, left, top), ResizeGeometry.Compute(w, h, shorter, ch, cw));
    }

    [Theory]
    [InlineData(0, 10, 10, 5, 5)]
    [InlineData(10, 0, 10, 5, 5)]
    [InlineData(10, 10, 0, 5, 5)]
    [InlineData(10, 10, 10, -1, 5)]
    [InlineData(10, 10, 10, 5, 0)]
    public void Compute_NonPositiveSize_ThrowsArgumentOutOfRange(int w, int h, int shorter, int ch, int cw)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResizeGeometry.Compute(w, h, shorter, ch, cw));
    }

    [Theory]
    [InlineData(224, 224, 256)]
    [InlineData(28, 28, 32)]
    [InlineData(299, 320, 342)]
    public void ResolveResize_Default_IsShorterSideOverCropFraction(int h, int w, int expected)
    {
        Assert.Equal(expected, PreprocessOptions.Default.ResolveResize(new SampleShape(3, h, w)));
    }

    [Fact]
    public void ResolveNormalisation_Defaults_ImageNetForThreeChannelImagesOnly()
    {
        (float[] m3, float[] s3) = PreprocessOptions.Default.ResolveNormalisation(3, imageNetDefaults: true);
        (float[] m1, float[] s1) = PreprocessOptions.Default.ResolveNormalisation(1, imageNetDefaults: true);
        (float[] mi, float[] si) = PreprocessOptions.Default.ResolveNormalisation(3, imageNetDefaults: false);

        Assert.Equal([0.485f, 0.456f, 0.406f], m3);
        Assert.Equal([0.229f, 0.224f, 0.225f], s3);
        Assert.Equal([0f], m1);
        Assert.Equal([1f], s1);
        Assert.Equal([0f, 0f, 0f], mi);
        Assert.Equal([1f, 1f, 1f], si);
    }

    [Fact]
    public void ResolveNormalisation_BadValues_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new PreprocessOptions { Mean = [0f, 0f] }.ResolveNormalisation(3, true));
        Assert.Throws<ArgumentException>(() => new PreprocessOptions { Std = [0f] }.ResolveNormalisation(1, true));
        Assert.Throws<ArgumentException>(() => new PreprocessOptions { Std = [-1f] }.ResolveNormalisation(1, true));
        Assert.Throws<ArgumentException>(() => new PreprocessOptions { Mean = [float.NaN] }.ResolveNormalisation(1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreprocessOptions { Resize = 0 }.ResolveResize(new SampleShape(1, 2, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PreprocessOptions { CropFraction = 1.5 }.ResolveResize(new SampleShape(1, 2, 2)));
    }
}
