using System.Text;
using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class NpyErrorTests
{
    private static readonly SampleShape Model = new(2, 3, 3);

    private static string WriteRaw(TempDir dir, string descr, int elementSize, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        string path = dir.File("x.npy");
        NpyFile.Write(path, descr, new byte[n * elementSize], n, shape);
        return path;
    }

    [Theory]
    [InlineData("<f8", 8)]
    [InlineData("|i1", 1)]
    [InlineData(">f4", 4)]
    [InlineData("<f2", 2)]
    public void Constructor_WrongDtype_ThrowsDataException(string descr, int size)
    {
        using var dir = new TempDir();
        string path = WriteRaw(dir, descr, size, [2, 2, 3, 3]);
        DataAssert.Fails(() => new NpySource(path, Model), path, $"dtype '{descr}' is not float32");
    }

    [Theory]
    [InlineData(new long[] { 2, 3, 3 }, "not 4-D")]
    [InlineData(new long[] { 1, 2, 2, 3, 3 }, "not 4-D")]
    [InlineData(new long[] { 2, 1, 3, 3 }, "samples are 1x3x3, the model takes 2x3x3")]
    [InlineData(new long[] { 2, 2, 4, 3 }, "samples are 2x4x3")]
    [InlineData(new long[] { 2, 2, 3, 5 }, "samples are 2x3x5")]
    [InlineData(new long[] { 0, 2, 3, 3 }, "contains no samples")]
    public void Constructor_WrongShape_ThrowsDataException(long[] shape, string cause)
    {
        using var dir = new TempDir();
        string path = WriteRaw(dir, "<f4", 4, shape);
        DataAssert.Fails(() => new NpySource(path, Model), path, cause);
    }

    [Fact]
    public void Constructor_FortranOrder_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("f.npy");
        NpyFile.Write(path, new float[36], [2, 2, 3, 3]);
        byte[] b = File.ReadAllBytes(path);
        byte[] patched = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(b).Replace("'fortran_order': False", "'fortran_order': True "));
        File.WriteAllBytes(path, patched);
        DataAssert.Fails(() => new NpySource(path, Model), path, "Fortran-ordered");
    }

    [Fact]
    public void Constructor_TruncatedData_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("t.npy");
        NpyFile.Write(path, new float[36], [2, 2, 3, 3]);
        byte[] b = File.ReadAllBytes(path);
        File.WriteAllBytes(path, b[..^5]);
        DataAssert.Fails(() => new NpySource(path, Model), path, "truncated");
    }

    [Fact]
    public void Constructor_TruncatedHeader_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("t.npy");
        NpyFile.Write(path, new float[36], [2, 2, 3, 3]);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
        DataAssert.Fails(() => new NpySource(path, Model), path, "truncated .npy header");
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 3, 3, }", "malformed .npy header")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2, 2, 3, 3), }", "expected True or False")]
    [InlineData("{'descr': '<f4', 'shape': (2, 2, 3, 3), }", "lacks descr, fortran_order or shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -2, 3, 3), }", "non-negative integer")]
    public void Constructor_MalformedHeader_ThrowsDataException(string dict, string cause)
    {
        using var dir = new TempDir();
        string path = dir.File("m.npy");
        byte[] text = Encoding.Latin1.GetBytes(dict + "\n");
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, (byte)text.Length, 0, .. text, .. new byte[144]]);
        DataAssert.Fails(() => new NpySource(path, Model), path, cause);
    }

    [Fact]
    public void Constructor_UnknownVersion_ThrowsDataException()
    {
        using var dir = new TempDir();
        string path = dir.File("v.npy");
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 9, 0, 0, 0, 0, 0]);
        DataAssert.Fails(() => new NpySource(path, Model), path, ".npy version 9.0 is not supported");
    }

    [Theory]
    [InlineData("<f4", 4, new long[] { 2 }, "labels dtype '<f4'")]
    [InlineData("<i8", 8, new long[] { 2, 1 }, "not 1-D")]
    [InlineData("<i8", 8, new long[] { 3 }, "3 labels for 2 images")]
    public void Constructor_BadLabelsNpy_ThrowsDataExceptionNamingLabels(string descr, int size, long[] shape, string cause)
    {
        using var dir = new TempDir();
        string images = dir.File("x.npy");
        NpyFile.Write(images, new float[36], [2, 2, 3, 3]);
        string labels = dir.File("y.npy");
        long n = shape.Aggregate(1L, (a, b) => a * b);
        NpyFile.Write(labels, descr, new byte[n * size], n, shape);
        DataAssert.Fails(() => new NpySource(images, Model, labels), labels, cause);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ReadBatch_NonFiniteValue_ThrowsDataExceptionNamingFileAndIndex(float bad)
    {
        using var dir = new TempDir();
        string path = dir.File("x.npy");
        var data = new float[5 * 18];
        Array.Fill(data, 0.5f);
        data[3 * 18 + 7] = bad;
        NpyFile.Write(path, data, [5, 2, 3, 3]);
        using var src = new NpySource(path, Model);

        DataAssert.Fails(() => DataAssert.ReadAll(src), $"{path}[3]", $"sample 3 holds {bad} at element 7");
    }
}
