using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;

namespace FastPrune.Data;

/// <summary>
/// An unsigned-byte IDX file (the MNIST format): 2 zero bytes, type 0x08, rank, big-endian int32 dims, then
/// the bytes in C order. Plain files are read by offset; <c>.gz</c> files (detected by content) are inflated
/// into memory once, which is 1 byte per pixel and so small next to decoded float batches.
/// </summary>
internal sealed class IdxFile : IDisposable
{
    /// <summary>
    /// The most data bytes an IDX file may hold (a .NET array's limit, which also bounds an inflated
    /// <c>.gz</c>); a header promising more is refused before anything is read.
    /// </summary>
    public const long MaxBytes = 0x7FFFFFC7; // Array.MaxLength

    private readonly SafeFileHandle? _file;
    private readonly byte[]? _content;

    private IdxFile(string path, int[] dims, long dataOffset, SafeFileHandle? file, byte[]? content)
    {
        Path = path;
        Dims = dims;
        DataOffset = dataOffset;
        _file = file;
        _content = content;
    }

    public string Path { get; }

    public int[] Dims { get; }

    public long DataOffset { get; }

    /// <summary>Opens and validates the header and length of <paramref name="path"/>.</summary>
    /// <exception cref="DataException">Not an unsigned-byte IDX file, corrupt gzip, or truncated.</exception>
    public static IdxFile Open(string path)
    {
        byte[]? content = null;
        Span<byte> head = stackalloc byte[4 + 4 * 4];
        long length;
        using (FileStream fs = File.OpenRead(path))
        {
            if (IsGzip(fs))
            {
                content = Inflate(fs, path);
                length = content.Length;
                content.AsSpan(0, Math.Min(content.Length, head.Length)).CopyTo(head);
            }
            else
            {
                length = fs.Length;
                fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            }
        }
        (int[] dims, long offset, long elements) = ParseHeader(head, length, path);
        if (length - offset < elements)
        {
            throw new DataException(path, $"truncated: {length} bytes, the header promises {offset + elements}");
        }
        SafeFileHandle? file = content is null
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess)
            : null;
        return new IdxFile(path, dims, offset, file, content);
    }

    // The dims, the data offset and the element count the header promises; the count is checked against
    // MaxBytes as it is multiplied, so four large dims cannot wrap around to a small product.
    private static (int[] Dims, long Offset, long Elements) ParseHeader(ReadOnlySpan<byte> head, long length, string path)
    {
        if (length < 4 || head[0] != 0 || head[1] != 0)
        {
            throw new DataException(path, "not an IDX file (bad magic)");
        }
        if (head[2] != 0x08)
        {
            throw new DataException(path, $"IDX element type 0x{head[2]:x2} is not unsigned byte (0x08)");
        }
        int rank = head[3];
        if (rank is < 1 or > 4 || length < 4 + 4 * rank)
        {
            throw new DataException(path, rank is < 1 or > 4 ? $"IDX rank {rank} is not supported" : "truncated IDX header");
        }
        var dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++)
        {
            int d = BinaryPrimitives.ReadInt32BigEndian(head[(4 + 4 * i)..]);
            if (d < 0)
            {
                throw new DataException(path, $"IDX dimension {i} is negative ({d})");
            }
            dims[i] = d;
            if (d != 0 && elements > MaxBytes / d)
            {
                throw new DataException(path, $"IDX dims [{string.Join(", ", dims[..(i + 1)])}] promise more than {MaxBytes} bytes");
            }
            elements *= d;
        }
        return (dims, 4 + 4 * rank, elements);
    }

    /// <summary>Magic (first 4 bytes, big-endian, after inflating gzip) of a file, or -1 if it is shorter.</summary>
    public static int PeekMagic(string path)
    {
        using FileStream fs = File.OpenRead(path);
        Span<byte> m = stackalloc byte[4];
        Stream s = fs;
        GZipStream? gz = null;
        try
        {
            if (IsGzip(fs))
            {
                s = gz = new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true);
            }
            return s.ReadAtLeast(m, 4, throwOnEndOfStream: false) < 4 ? -1 : BinaryPrimitives.ReadInt32BigEndian(m);
        }
        catch (InvalidDataException)
        {
            return -1;
        }
        finally
        {
            gz?.Dispose();
        }
    }

    /// <summary>Copies elements [<paramref name="element"/>, + destination length) of the data.</summary>
    public void Read(long element, Span<byte> destination)
    {
        long offset = DataOffset + element;
        if (_content is not null)
        {
            _content.AsSpan(checked((int)offset), destination.Length).CopyTo(destination);
            return;
        }
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(_file!, destination, offset);
            if (n == 0)
            {
                throw new DataException(Path, "file ended while reading (truncated after opening?)");
            }
            destination = destination[n..];
            offset += n;
        }
    }

    public void Dispose() => _file?.Dispose();

    private static bool IsGzip(FileStream fs)
    {
        Span<byte> b = stackalloc byte[2];
        bool gz = fs.ReadAtLeast(b, 2, throwOnEndOfStream: false) == 2 && b[0] == 0x1f && b[1] == 0x8b;
        fs.Position = 0;
        return gz;
    }

    // Inflates at most what the header promises (plus the header), so a gzip bomb stops at its own claim; the
    // header is inflated first and checked before the body, and the buffer grows with what actually arrives.
    private static byte[] Inflate(FileStream fs, string path)
    {
        try
        {
            using var gz = new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true);
            using var ms = new MemoryStream();
            var head = new byte[4 + 4 * 4];
            int got = gz.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            ms.Write(head, 0, got);
            (_, long offset, long elements) = ParseHeader(head, got, path);
            long want = offset + elements - got;
            var buffer = new byte[1 << 16];
            while (want > 0)
            {
                int n = gz.Read(buffer, 0, (int)Math.Min(buffer.Length, want));
                if (n == 0)
                {
                    break;
                }
                ms.Write(buffer, 0, n);
                want -= n;
            }
            return ms.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataException(path, $"corrupt or truncated gzip data ({e.Message})", e);
        }
    }
}
