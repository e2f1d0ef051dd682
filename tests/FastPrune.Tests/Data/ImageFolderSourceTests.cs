using FastPrune.Data;
using SkiaSharp;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class ImageFolderSourceTests
{
    private static readonly PreprocessOptions Raw = new() { Mean = [0f], Std = [1f] };

    private static float[] Read(IDataSource s, int index)
    {
        var chw = new float[s.Shape.Length];
        Array.Fill(chw, float.NaN);
        s.ReadImage(index, chw);
        Assert.All(chw, v => Assert.True(float.IsFinite(v)));
        return chw;
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "a.png")]
    [InlineData(SKEncodedImageFormat.Webp, "a.webp")]
    [InlineData(null, "a.bmp")]
    public void ReadImage_LosslessImageAtModelSize_GivesImageNetNormalisedPixels(SKEncodedImageFormat? format, string name)
    {
        using var dir = new TempDir();
        byte[] rgba = Fixtures.RandomRgba(6, 5, seed: 11);
        if (format is { } f)
        {
            Fixtures.WriteImage(dir.File(name), rgba, 6, 5, f);
        }
        else
        {
            Fixtures.WriteBmp(dir.File(name), rgba, 6, 5);
        }
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 5, 6), new PreprocessOptions { Resize = 5 });

        float[] chw = Read(src, 0);

        Assert.False(src.HasLabels);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < 30; i++)
            {
                double expected = (rgba[i * 4 + c] / 255.0 - mean[c]) / std[c];
                Assert.Equal(expected, chw[c * 30 + i], 1e-5);
            }
        }
    }

    [Fact]
    public void ReadImage_JpegOfFlatColour_GivesColourWithinJpegError()
    {
        using var dir = new TempDir();
        Fixtures.WriteImage(dir.File("a.jpg"), Fixtures.Rgba(16, 16, (_, _) => (200, 100, 30)), 16, 16, SKEncodedImageFormat.Jpeg);
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 8, 8), Raw);

        float[] chw = Read(src, 0);

        for (int i = 0; i < 64; i++)
        {
            Assert.InRange(chw[i], 197 / 255f, 203 / 255f);
            Assert.InRange(chw[64 + i], 97 / 255f, 103 / 255f);
            Assert.InRange(chw[128 + i], 27 / 255f, 33 / 255f);
        }
    }

    [Fact]
    public void ReadImage_OneChannelModel_GivesLumaScaledToUnitRange()
    {
        using var dir = new TempDir();
        byte[] rgba = Fixtures.RandomRgba(4, 4, seed: 3);
        Fixtures.WriteImage(dir.File("a.png"), rgba, 4, 4, SKEncodedImageFormat.Png);
        using var src = new ImageFolderSource(dir.Path, new SampleShape(1, 4, 4), new PreprocessOptions { Resize = 4 });

        float[] chw = Read(src, 0);

        for (int i = 0; i < 16; i++)
        {
            double luma = (0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]) / 255.0;
            Assert.Equal(luma, chw[i], 1e-5); // default for 1 channel: mean 0, std 1
        }
    }

    [Fact]
    public void ReadImage_GrayscalePngThreeChannelModel_ReplicatesGray()
    {
        using var dir = new TempDir();
        byte[] gray = Fixtures.RandomBytes(9, seed: 5);
        Fixtures.WriteGrayPng(dir.File("g.png"), gray, 3, 3);
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 3, 3), Raw with { Resize = 3 });

        float[] chw = Read(src, 0);

        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(gray[i] / 255f, chw[c * 9 + i], 1e-6);
            }
        }
    }

    [Fact]
    public void ReadImage_WideImage_ResizesShorterSideAndCropsCentre()
    {
        // 40×20 image, R = 4x + 50 (horizontal ramp), G = 4y + 50 (vertical ramp). Resize the shorter side
        // to 10 → 20×10, then crop 10×10 at left = 5. A symmetric filter maps a ramp to the ramp sampled at
        // the output pixel's centre in source coordinates: 2i + 1 − 0.5 → 4(2i + 0.5) + 50 = 8i + 52.
        using var dir = new TempDir();
        Fixtures.WriteImage(dir.File("w.png"), Fixtures.Rgba(40, 20, (x, y) => ((byte)(4 * x + 50), (byte)(4 * y + 50), 7)), 40, 20, SKEncodedImageFormat.Png);
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 10, 10), Raw with { Resize = 10 });

        float[] chw = Read(src, 0);

        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                Assert.Equal((8 * (x + 5) + 52) / 255f, chw[y * 10 + x], 1e-4);
                if (y is > 0 and < 9) // the first and last rows see a clipped filter window
                {
                    Assert.Equal((8 * y + 52) / 255f, chw[100 + y * 10 + x], 1e-4);
                }
                Assert.Equal(7 / 255f, chw[200 + y * 10 + x], 1e-5);
            }
        }
    }

    [Fact]
    public void Constructor_ClassFolders_LabelsAreSortedFolderIndices()
    {
        using var dir = new TempDir();
        byte[] px = Fixtures.RandomRgba(2, 2, 1);
        foreach ((string cls, string file) in new[] { ("zebra", "1.png"), ("ant", "b.png"), ("ant", "a.png"), ("Mole", "x.png") })
        {
            Fixtures.WriteImage(Path.Combine(dir.Dir(cls), file), px, 2, 2, SKEncodedImageFormat.Png);
        }
        Directory.CreateDirectory(dir.File("empty"));
        File.WriteAllText(dir.File("ant", "notes.txt"), "not an image");

        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 2, 2));

        // Ordinal order: "Mole" < "ant" < "empty" < "zebra"; the empty class still takes an index.
        Assert.Equal(["Mole", "ant", "empty", "zebra"], src.ClassFolders);
        Assert.Equal(4, src.Count);
        Assert.Equal(4, src.ClassCount);
        Assert.Equal([0, 1, 1, 3], Enumerable.Range(0, 4).Select(src.Label));
        Assert.EndsWith(Path.Combine("ant", "a.png"), src.NameOf(1));
    }

    [Fact]
    public void Constructor_FlatFolderWithLabelsFile_UsesLabelsInFileOrder()
    {
        using var dir = new TempDir();
        string images = dir.Dir("imgs");
        for (int i = 0; i < 3; i++)
        {
            Fixtures.WriteImage(Path.Combine(images, $"{i}.png"), Fixtures.RandomRgba(2, 2, i), 2, 2, SKEncodedImageFormat.Png);
        }
        NpyFile.Write(dir.File("l.npy"), [5L, 0L, 2L], [3]);

        using var src = new ImageFolderSource(images, new SampleShape(3, 2, 2), null, dir.File("l.npy"));

        Assert.True(src.HasLabels);
        Assert.Equal([5, 0, 2], Enumerable.Range(0, 3).Select(src.Label));
        Assert.Equal(6, src.ClassCount);
    }

    [Fact]
    public void Label_FlatFolder_ThrowsInvalidOperation()
    {
        using var dir = new TempDir();
        Fixtures.WriteImage(dir.File("a.png"), Fixtures.RandomRgba(2, 2, 1), 2, 2, SKEncodedImageFormat.Png);
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 2, 2));

        Assert.Throws<InvalidOperationException>(() => src.Label(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => src.ReadImage(1, new float[12]));
        Assert.Throws<ArgumentException>(() => src.ReadImage(0, new float[11]));
    }
}
