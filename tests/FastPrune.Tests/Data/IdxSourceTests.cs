using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class IdxSourceTests
{
    private static (byte[] Images, byte[] Labels) WritePair(TempDir dir, string prefix, int n, bool gzip, int seed)
    {
        byte[] images = Fixtures.RandomBytes(n * 4 * 3, seed);
        byte[] labels = [.. Fixtures.RandomBytes(n, seed + 1).Select(b => (byte)(b % 10))];
        string gz = gzip ? ".gz" : "";
        Fixtures.WriteIdx(dir.File($"{prefix}-images-idx3-ubyte{gz}"), images, [n, 4, 3], gzip);
        Fixtures.WriteIdx(dir.File($"{prefix}-labels-idx1-ubyte{gz}"), labels, [n], gzip);
        return (images, labels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImage_IdxPair_GivesPixelsOver255AndSiblingLabels(bool gzip)
    {
        using var dir = new TempDir();
        (byte[] images, byte[] labels) = WritePair(dir, "calib", 6, gzip, seed: 7);
        string path = dir.File(gzip ? "calib-images-idx3-ubyte.gz" : "calib-images-idx3-ubyte");

        using IDataSource src = DataSource.Open(path, new SampleShape(1, 4, 3));

        Assert.IsType<IdxSource>(src);
        Assert.Equal(6, src.Count);
        Assert.True(src.HasLabels);
        for (int i = 0; i < 6; i++)
        {
            var chw = new float[12];
            src.ReadImage(i, chw);
            Assert.Equal(images.AsSpan(i * 12, 12).ToArray().Select(b => b / 255f), chw);
            Assert.Equal(labels[i], src.Label(i));
        }
    }

    [Fact]
    public void ReadImage_ThreeChannelModelWithMeanStd_ReplicatesAndNormalises()
    {
        using var dir = new TempDir();
        (byte[] images, _) = WritePair(dir, "t", 2, gzip: false, seed: 9);
        var options = new PreprocessOptions { Mean = [0.1f, 0.2f, 0.3f], Std = [0.5f, 0.25f, 2f] };

        using var src = new IdxSource(dir.File("t-images-idx3-ubyte"), new SampleShape(3, 4, 3), options);

        var chw = new float[36];
        src.ReadImage(1, chw);
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < 12; i++)
            {
                double expected = (images[12 + i] / 255.0 - options.Mean[c]) / options.Std[c];
                Assert.Equal(expected, chw[c * 12 + i], 1e-5);
            }
        }
    }

    [Fact]
    public void Open_FolderWithOnePair_UsesIt()
    {
        using var dir = new TempDir();
        WritePair(dir, "train", 3, gzip: true, seed: 2);

        using IDataSource src = DataSource.Open(dir.Path, new SampleShape(1, 4, 3));

        Assert.Equal(3, src.Count);
        Assert.True(src.HasLabels);
        Assert.EndsWith("train-labels-idx1-ubyte.gz", ((IdxSource)src).LabelsPath);
    }

    [Fact]
    public void Open_ImagesWithoutSiblingLabels_HasNoLabels()
    {
        using var dir = new TempDir();
        Fixtures.WriteIdx(dir.File("digits.idx3"), Fixtures.RandomBytes(24, 1), [2, 4, 3]);

        using IDataSource src = DataSource.Open(dir.File("digits.idx3"), new SampleShape(1, 4, 3));

        Assert.False(src.HasLabels);
    }

    [Fact]
    public void Open_ExplicitLabelsNpy_OverridesSibling()
    {
        using var dir = new TempDir();
        WritePair(dir, "calib", 3, gzip: false, seed: 4);
        NpyFile.Write(dir.File("l.npy"), [9L, 8L, 7L], [3]);

        using IDataSource src = DataSource.Open(dir.File("calib-images-idx3-ubyte"), new SampleShape(1, 4, 3), null, dir.File("l.npy"));

        Assert.Equal([9, 8, 7], Enumerable.Range(0, 3).Select(src.Label));
    }

    [Fact]
    public void FindSiblingLabels_MnistNames_MapImagesToLabels()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), [0]);

        Assert.Equal(dir.File("t10k-labels-idx1-ubyte"), IdxSource.FindSiblingLabels(dir.File("t10k-images-idx3-ubyte")));
        Assert.Equal(dir.File("t10k-labels-idx1-ubyte"), IdxSource.FindSiblingLabels(dir.File("t10k-images-idx3-ubyte.gz")));
        Assert.Null(IdxSource.FindSiblingLabels(dir.File("train-images-idx3-ubyte")));
    }
}
