using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastPrune.Data;

/// <summary>
/// Samples from a float32 (<c>&lt;f4</c>) C-order N×C×H×W <c>.npy</c> file, taken as they are (already
/// preprocessed), read by offset so the file never has to fit in memory. Labels, when given, come from a
/// 1-D int64 or int32 <c>.npy</c> or an IDX labels file.
/// </summary>
internal sealed class NpySource : DataSourceBase
{
    private readonly SafeFileHandle _file;
    private readonly long _dataOffset;

    /// <summary>Opens and validates <paramref name="path"/> against the model input <paramref name="shape"/>.</summary>
    /// <param name="path">The images .npy.</param>
    /// <param name="shape">The model input; C, H and W must match the file's.</param>
    /// <param name="labelsPath">Optional labels file, one label per image.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be read.</exception>
    /// <exception cref="DataException">Wrong dtype, order, rank or shape, no samples, truncated data, or bad labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a non-positive dimension.</exception>
    public NpySource(string path, SampleShape shape, string? labelsPath = null)
        : base(path, shape)
    {
        NpyHeader h;
        using (var fs = File.OpenRead(path))
        {
            h = NpyHeader.Read(fs, path);
            Validate(h, shape, fs.Length, path);
        }
        Count = (int)h.Shape[0];
        _dataOffset = h.DataOffset;
        if (labelsPath is not null)
        {
            Labels = LabelFile.Read(labelsPath, Count);
            ClassCount = Labels.Length == 0 ? 0 : Labels.Max() + 1;
        }
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    /// <inheritdoc/>
    protected override void ReadImageCore(int index, Span<float> chw)
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(chw);
        long offset = _dataOffset + (long)index * bytes.Length;
        // RandomAccess.Read is positional, so concurrent readers need no lock.
        while (!bytes.IsEmpty)
        {
            int n = RandomAccess.Read(_file, bytes, offset);
            if (n == 0)
            {
                throw new DataException(NameOf(index), "file ends inside this sample (truncated)");
            }
            bytes = bytes[n..];
            offset += n;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }
    }

    private static void Validate(NpyHeader h, SampleShape shape, long fileLength, string path)
    {
        if (h.Descr != "<f4")
        {
            throw new DataException(path, $"dtype '{h.Descr}' is not float32 ('<f4'); save with x.astype(np.float32)");
        }
        if (h.FortranOrder)
        {
            throw new DataException(path, "Fortran-ordered array; save a C-ordered one (np.ascontiguousarray)");
        }
        if (h.Shape.Length != 4)
        {
            throw new DataException(path, $"shape ({string.Join(", ", h.Shape)}) is not 4-D N×C×H×W");
        }
        (long n, long c, long hh, long w) = (h.Shape[0], h.Shape[1], h.Shape[2], h.Shape[3]);
        if (c != shape.Channels || hh != shape.Height || w != shape.Width)
        {
            throw new DataException(path, $"samples are {c}x{hh}x{w}, the model takes {shape}");
        }
        if (n == 0)
        {
            throw new DataException(path, "contains no samples");
        }
        if (n > int.MaxValue)
        {
            throw new DataException(path, $"{n} samples is more than supported");
        }
        // Compared by division, never by multiplying the header's counts: a sample count near int.MaxValue
        // times a large sample must not overflow.
        long sampleBytes = 4L * c * hh * w;
        if (n > (fileLength - h.DataOffset) / sampleBytes)
        {
            throw new DataException(path, $"truncated: {fileLength} bytes, the header promises {n} samples of {sampleBytes} bytes after {h.DataOffset}");
        }
    }
}
