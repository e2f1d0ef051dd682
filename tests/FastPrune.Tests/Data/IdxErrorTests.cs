using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class IdxErrorTests
{
    private static readonly SampleShape Model = new(1, 4, 3);

    [Fact]
    public void Open_TruncatedImages_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("a-images-idx3-ubyte");
        Fixtures.WriteIdx(path, new byte[2 * 12 - 1], [2, 4, 3]);
        DataAssert.Fails(() => DataSource.Open(path, Model), path, "truncated");
    }

    [Fact]
    public void Open_TruncatedGzip_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("a-images-idx3-ubyte.gz");
        Fixtures.WriteIdx(path, Fixtures.RandomBytes(200 * 12, 1), [200, 4, 3], gzip: true);
        byte[] b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..(b.Length / 2)]);
        DataAssert.Fails(() => DataSource.Open(path, Model), path, "truncated");
    }

    [Fact]
    public void Open_LabelsCountMismatch_ThrowsDataExceptionNamingLabels()
    {
        using var dir = new TempDir();
        Fixtures.WriteIdx(dir.File("a-images-idx3-ubyte"), new byte[24], [2, 4, 3]);
        Fixtures.WriteIdx(dir.File("a-labels-idx1-ubyte"), new byte[3], [3]);
        DataAssert.Fails(() => DataSource.Open(dir.File("a-images-idx3-ubyte"), Model), dir.File("a-labels-idx1-ubyte"), "3 labels for 2 images");
    }

    [Theory]
    [InlineData(1, 5, 3, "images are 4x3, the model takes 5x3")]
    [InlineData(1, 4, 2, "images are 4x3, the model takes 4x2")]
    [InlineData(2, 4, 3, "the model takes 2 channels")]
    public void Open_ModelMismatch_ThrowsDataException(int c, int h, int w, string cause)
    {
        using var dir = new TempDir();
        string path = dir.File("a-images-idx3-ubyte");
        Fixtures.WriteIdx(path, new byte[24], [2, 4, 3]);
        DataAssert.Fails(() => DataSource.Open(path, new SampleShape(c, h, w)), path, cause);
    }

    [Fact]
    public void Open_NoImages_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("a-images-idx3-ubyte");
        Fixtures.WriteIdx(path, [], [0, 4, 3]);
        DataAssert.Fails(() => DataSource.Open(path, Model), path, "contains no images");
    }

    [Fact]
    public void Open_LabelsFileAsData_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("a-labels-idx1-ubyte");
        Fixtures.WriteIdx(path, [1, 2], [2]);
        DataAssert.Fails(() => DataSource.Open(path, Model), path, "IDX labels file");
    }

    [Fact]
    public void Open_FolderWithTwoImageFiles_ThrowsDataExceptionNamingFolder()
    {
        using var dir = new TempDir();
        Fixtures.WriteIdx(dir.File("calib-images-idx3-ubyte"), new byte[12], [1, 4, 3]);
        Fixtures.WriteIdx(dir.File("test-images-idx3-ubyte"), new byte[12], [1, 4, 3]);
        DataAssert.Fails(() => DataSource.Open(dir.Path, Model), dir.Path, "pass one of them");
    }

    [Fact]
    public void Constructor_NonByteElementType_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("f-images-idx3-ubyte");
        File.WriteAllBytes(path, [0, 0, 0x0D, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        DataAssert.Fails(() => new IdxSource(path, new SampleShape(1, 1, 1)), path, "not an IDX images file");
    }

    [Fact]
    public void Read_NonByteLabels_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("l-labels-idx1-ubyte");
        File.WriteAllBytes(path, [0, 0, 0x0C, 1, 0, 0, 0, 1, 0, 0, 0, 7]);
        DataAssert.Fails(() => LabelFile.Read(path, 1), path, "not a labels file");
    }
}
