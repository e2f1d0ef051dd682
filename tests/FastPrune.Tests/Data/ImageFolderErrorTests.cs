using FastPrune.Data;
using SkiaSharp;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class ImageFolderErrorTests
{
    private static readonly SampleShape Rgb = new(3, 4, 4);

    private static void Png(string path) =>
        Fixtures.WriteImage(path, Fixtures.RandomRgba(4, 4, 1), 4, 4, SKEncodedImageFormat.Png);

    [Fact]
    public void Open_MissingPath_ThrowsFileNotFound()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => DataSource.Open(dir.File("nope"), Rgb));
        Assert.Contains(dir.File("nope"), e.Message);
    }

    [Fact]
    public void Constructor_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DirectoryNotFoundException>(() => new ImageFolderSource(dir.File("nope"), Rgb));
        Assert.Contains(dir.File("nope"), e.Message);
    }

    [Fact]
    public void Open_EmptyFolder_ThrowsDataExceptionNamingFolder()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("class_a"));
        File.WriteAllText(dir.File("readme.txt"), "no images here");
        DataAssert.Fails(() => DataSource.Open(dir.Path, Rgb), dir.Path, "no images");
    }

    [Fact]
    public void ReadImage_CorruptImage_ThrowsDataExceptionNamingFile()
    {
        using var dir = new TempDir();
        Png(dir.File("a.png"));
        File.WriteAllBytes(dir.File("b.jpg"), Fixtures.RandomBytes(300, 2));
        using IDataSource src = DataSource.Open(dir.Path, Rgb);

        DataAssert.Fails(() => DataAssert.ReadAll(src), dir.File("b.jpg"), "not a decodable image");
    }

    [Fact]
    public void ReadImage_TruncatedPng_ThrowsDataExceptionNamingFile()
    {
        using var dir = new TempDir();
        Fixtures.WriteImage(dir.File("t.png"), Fixtures.RandomRgba(64, 64, 3), 64, 64, SKEncodedImageFormat.Png);
        byte[] full = File.ReadAllBytes(dir.File("t.png"));
        File.WriteAllBytes(dir.File("t.png"), full[..(full.Length / 2)]);
        using IDataSource src = DataSource.Open(dir.Path, Rgb);

        DataAssert.Fails(() => src.ReadImage(0, new float[Rgb.Length]), dir.File("t.png"), "truncated");
    }

    [Fact]
    public void Open_FourChannelModel_ThrowsDataException()
    {
        using var dir = new TempDir();
        Png(dir.File("a.png"));
        DataAssert.Fails(() => DataSource.Open(dir.Path, new SampleShape(4, 4, 4)), dir.Path, "4 channels");
    }

    [Fact]
    public void Open_MissingLabelsFile_ThrowsFileNotFound()
    {
        using var dir = new TempDir();
        Png(dir.File("a.png"));
        Assert.Throws<FileNotFoundException>(() => DataSource.Open(dir.Path, Rgb, null, dir.File("labels.npy")));
    }

    [Fact]
    public void Open_LabelsCountMismatch_ThrowsDataExceptionNamingLabels()
    {
        using var dir = new TempDir();
        string images = dir.Dir("imgs");
        Png(Path.Combine(images, "a.png"));
        Png(Path.Combine(images, "b.png"));
        NpyFile.Write(dir.File("l.npy"), [1L, 2L, 3L], [3]);
        DataAssert.Fails(() => DataSource.Open(images, Rgb, null, dir.File("l.npy")), dir.File("l.npy"), "3 labels for 2 images");
    }

    [Fact]
    public void Open_NegativeLabel_ThrowsDataExceptionNamingLabels()
    {
        using var dir = new TempDir();
        string images = dir.Dir("imgs");
        Png(Path.Combine(images, "a.png"));
        Png(Path.Combine(images, "b.png"));
        NpyFile.Write(dir.File("l.npy"), [1L, -1L], [2]);
        DataAssert.Fails(() => DataSource.Open(images, Rgb, null, dir.File("l.npy")), dir.File("l.npy"), "label -1 at index 1 is negative");
    }

    [Fact]
    public void Open_UnrecognisedFile_ThrowsDataException()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("data.csv"), "1,2,3\n");
        DataAssert.Fails(() => DataSource.Open(dir.File("data.csv"), Rgb), dir.File("data.csv"), "unrecognised data file");
    }
}
