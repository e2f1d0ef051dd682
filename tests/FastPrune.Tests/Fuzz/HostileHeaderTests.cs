using System.IO.Compression;
using FastPrune.Data;
using FastPrune.Tests.Cli;
using FastPrune.Tests.Data;
using Xunit;
using static FastPrune.Tests.Fuzz.HostileFiles;

namespace FastPrune.Tests.Fuzz;

/// <summary>
/// Resource bounds: files whose headers promise more than they hold, or more than memory allows, are refused
/// with one line naming the file, before anything of the promised size is allocated. "Before allocating" is
/// measured: the bytes this thread allocates while the file is refused stay far below what was promised.
/// </summary>
public sealed class HostileHeaderTests : IDisposable
{
    private const long AllocationBudget = 16 << 20;
    private static readonly SampleShape Gray8 = new(1, 8, 8);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Decode_PngClaiming100kBy100k_RefusedBeforeAllocating()
    {
        // Before the limit: checked(width * height * 4) overflowed, an internal error (exit 1).
        string path = _dir.File("huge.png");
        File.WriteAllBytes(path, PngHeader(100_000, 100_000));

        var e = RefusedWithin<DataException>(() => ImageDecoder.Decode(path).Dispose());

        Assert.StartsWith(path, e.Message);
        Assert.Contains("100000x100000 pixels is larger than the limit of 89,478,485 pixels", e.Message);
    }

    [Fact]
    public void Eval_ImageClaiming100kBy100k_ExitsInvalidNamingImage()
    {
        string model = _dir.File("tiny.onnx");
        TinyModels.Write(model, TinyModels.Conv());
        string image = Path.Combine(_dir.Dir("images", "cat"), "huge.png");
        File.WriteAllBytes(image, PngHeader(100_000, 100_000));

        var r = CliRun.Run("eval", model, "--data", _dir.File("images"), "--eval", "1");

        CliAssert.OneLineError(r, 3, image, "larger than the limit");
    }

    [Fact]
    public void Open_NpyPromisingInt32MaxSamples_RefusedAsTruncatedBeforeAllocating()
    {
        string path = _dir.File("x.npy");
        File.WriteAllBytes(path, Npy("<f4", "(2147483647, 1, 8, 8)", new byte[256]));

        var e = RefusedWithin<DataException>(() => DataSource.Open(path, Gray8).Dispose());

        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Read_LabelsNpyPromisingLongMaxLabels_RefusedAsTruncated()
    {
        // n * 8 wrapped to a negative size and passed the length check; the array size then overflowed.
        string path = _dir.File("labels.npy");
        File.WriteAllBytes(path, Npy("<i8", "(9223372036854775807,)", new byte[16]));

        var e = RefusedWithin<DataException>(() => LabelFile.Read(path, 2));

        Assert.StartsWith(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_IdxDimsWhoseProductWraps_RefusedBeforeAllocating()
    {
        // 65536^4 = 2^64 wrapped to 0 elements, so the file looked complete.
        string path = _dir.File("a-images-idx3-ubyte");
        File.WriteAllBytes(path, IdxHeader(65536, 65536, 65536, 65536));

        var e = RefusedWithin<DataException>(() => IdxFile.Open(path).Dispose());

        Assert.Contains("promise more than", e.Message);
    }

    [Fact]
    public void Open_IdxPromising20MillionImages_RefusedAsTruncated()
    {
        string path = _dir.File("a-images-idx3-ubyte");
        File.WriteAllBytes(path, [.. IdxHeader(20_000_000, 8, 8), .. new byte[128]]);

        var e = RefusedWithin<DataException>(() => DataSource.Open(path, Gray8).Dispose());

        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_GzipBombAfterTwoImages_InflatesOnlyWhatTheHeaderPromises()
    {
        // 2 images of 8x8, then 64 MB of zeros that a plain inflate would have held in memory.
        string path = _dir.File("a-images-idx3-ubyte.gz");
        using (var fs = File.Create(path))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
        {
            gz.Write([.. IdxHeader(2, 8, 8), .. new byte[128]]);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.Write(zeros);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using (IDataSource source = DataSource.Open(path, Gray8))
        {
            Assert.Equal(2, source.Count);
            DataAssert.ReadAll(source);
        }

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationBudget);
    }

    [Fact]
    public void Open_GzipIdxPromisingMoreThanAnArray_RefusedBeforeInflating()
    {
        string path = _dir.File("a-images-idx3-ubyte.gz");
        using (var fs = File.Create(path))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            gz.Write(IdxHeader(int.MaxValue, 64, 64));

        var e = RefusedWithin<DataException>(() => DataSource.Open(path, new SampleShape(1, 64, 64)).Dispose());

        Assert.Contains("promise more than", e.Message);
    }

    internal static T RefusedWithin<T>(Action action) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<T>(action);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, AllocationBudget);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }
}
