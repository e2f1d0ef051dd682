using System.Runtime.InteropServices;
using System.Text;

namespace FastPrune.Data;

/// <summary>Writes little-endian <c>.npy</c> files (version 1.0, C order) that NumPy reads back with <c>np.load</c>.</summary>
internal static class NpyFile
{
    /// <summary>Writes a float32 (<c>&lt;f4</c>) array.</summary>
    /// <param name="path">Destination; written to a temporary file in the same folder, then renamed.</param>
    /// <param name="data">Elements in C order.</param>
    /// <param name="shape">Dimensions; their product must equal the data length.</param>
    /// <exception cref="ArgumentException">The shape does not match the data length or has a negative dimension.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<long> shape) =>
        Write(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int64 (<c>&lt;i8</c>) array, e.g. labels.</summary>
    /// <inheritdoc cref="Write(string, ReadOnlySpan{float}, ReadOnlySpan{long})"/>
    public static void Write(string path, ReadOnlySpan<long> data, ReadOnlySpan<long> shape) =>
        Write(path, "<i8", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int32 (<c>&lt;i4</c>) array.</summary>
    /// <inheritdoc cref="Write(string, ReadOnlySpan{float}, ReadOnlySpan{long})"/>
    public static void Write(string path, ReadOnlySpan<int> data, ReadOnlySpan<long> shape) =>
        Write(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes raw little-endian element bytes under an arbitrary dtype string (for tests of other dtypes).</summary>
    /// <param name="path">Destination.</param>
    /// <param name="descr">The dtype string, e.g. <c>&lt;f8</c>.</param>
    /// <param name="bytes">The element bytes.</param>
    /// <param name="elements">Element count the shape must multiply to.</param>
    /// <param name="shape">Dimensions.</param>
    /// <exception cref="ArgumentException">The shape does not match the element count or has a negative dimension.</exception>
    public static void Write(string path, string descr, ReadOnlySpan<byte> bytes, long elements, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        long product = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"negative dimension {d}", nameof(shape));
            }
            product = checked(product * d);
        }
        if (product != elements)
        {
            throw new ArgumentException($"shape holds {product} elements, data has {elements}", nameof(shape));
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".npy writing assumes a little-endian machine");
        }
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";

        string full = Path.GetFullPath(path);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
            {
                fs.Write(NpyHeader.Magic);
                fs.Write([1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
                fs.Write(Encoding.Latin1.GetBytes(header));
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
