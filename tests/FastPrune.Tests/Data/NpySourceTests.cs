using System.Buffers.Binary;
using System.Text;
using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class NpySourceTests
{
    private static float[] RandomFloats(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
    }

    [Fact]
    public void ReadImage_WrittenNpy_RoundTripsExactValuesAndLabels()
    {
        using var dir = new TempDir();
        float[] data = RandomFloats(5 * 2 * 3 * 4, seed: 1);
        NpyFile.Write(dir.File("x.npy"), data, [5, 2, 3, 4]);
        NpyFile.Write(dir.File("y.npy"), [3L, 1L, 4L, 1L, 5L], [5]);

        using var src = new NpySource(dir.File("x.npy"), new SampleShape(2, 3, 4), dir.File("y.npy"));

        Assert.Equal(5, src.Count);
        Assert.Equal(6, src.ClassCount);
        for (int i = 0; i < 5; i++)
        {
            var chw = new float[24];
            src.ReadImage(i, chw);
            Assert.Equal(data.AsSpan(i * 24, 24).ToArray(), chw);
        }
        Assert.Equal([3, 1, 4, 1, 5], Enumerable.Range(0, 5).Select(src.Label));
        Assert.Equal($"{dir.File("x.npy")}[4]", src.NameOf(4));
    }

    [Fact]
    public void Write_Any_AlignsDataTo64BytesWithNumpyHeader()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("a.npy"), [1f, 2f], [1, 2]);
        byte[] bytes = File.ReadAllBytes(dir.File("a.npy"));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));

        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", Encoding.Latin1.GetString(bytes, 10, headerLength));
        Assert.Equal('\n', (char)bytes[10 + headerLength - 1]);
        Assert.Equal(bytes.Length, 10 + headerLength + 8);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_Version2And3Headers_Parse(int major)
    {
        byte[] dict = Encoding.UTF8.GetBytes("{\"shape\": (7, 1, 2, 2),'fortran_order':False,  'descr':'<f4'}\n");
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)dict.Length);
        ms.Write(len);
        ms.Write(dict);
        ms.Position = 0;

        NpyHeader h = NpyHeader.Read(ms, "mem");

        Assert.Equal("<f4", h.Descr);
        Assert.False(h.FortranOrder);
        Assert.Equal([7L, 1, 2, 2], h.Shape);
        Assert.Equal(12 + dict.Length, h.DataOffset);
    }

    [Fact]
    public void Constructor_Int32Labels_AreAccepted()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("x.npy"), RandomFloats(3, 2), [3, 1, 1, 1]);
        NpyFile.Write(dir.File("y.npy"), [2, 0, 7], [3]);

        using var src = new NpySource(dir.File("x.npy"), new SampleShape(1, 1, 1), dir.File("y.npy"));

        Assert.Equal([2, 0, 7], Enumerable.Range(0, 3).Select(src.Label));
    }

    [Fact]
    public void Open_NpyPath_DetectsNpyWithoutLabels()
    {
        using var dir = new TempDir();
        NpyFile.Write(dir.File("data.bin"), RandomFloats(8, 3), [2, 1, 2, 2]);

        using IDataSource src = DataSource.Open(dir.File("data.bin"), new SampleShape(1, 2, 2));

        Assert.IsType<NpySource>(src);
        Assert.False(src.HasLabels);
        Assert.Equal(0, src.ClassCount);
        Assert.Throws<InvalidOperationException>(() => src.Label(0));
    }

    [Fact]
    public void Write_ShapeDataMismatch_ThrowsArgumentException()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => NpyFile.Write(dir.File("a.npy"), [1f, 2f], [3]));
        Assert.Throws<ArgumentException>(() => NpyFile.Write(dir.File("a.npy"), [1f, 2f], [-2, -1]));
        Assert.False(File.Exists(dir.File("a.npy")));
    }
}
