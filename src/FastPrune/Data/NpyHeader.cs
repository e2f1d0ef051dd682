using System.Buffers.Binary;
using System.Text;

namespace FastPrune.Data;

/// <summary>
/// The header of a NumPy <c>.npy</c> file: magic <c>\x93NUMPY</c>, version 1.0 (16-bit header length) or
/// 2.0/3.0 (32-bit), then a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.
/// </summary>
/// <param name="Descr">The dtype string, e.g. <c>&lt;f4</c>.</param>
/// <param name="FortranOrder">Whether the data is column-major.</param>
/// <param name="Shape">The array shape.</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape, long DataOffset)
{
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Product of the shape (1 for a 0-d array).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Reads and parses the header at the start of <paramref name="stream"/>.</summary>
    /// <param name="stream">The file, positioned at 0.</param>
    /// <param name="path">The file name, for messages.</param>
    /// <exception cref="DataException">Not an .npy file, an unknown version, or a malformed header.</exception>
    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> pre = stackalloc byte[12];
        int got = stream.ReadAtLeast(pre, 10, throwOnEndOfStream: false);
        if (got < 10 || !pre[..6].SequenceEqual(Magic))
        {
            throw new DataException(path, "not an .npy file (bad magic)");
        }
        int major = pre[6];
        long length, start;
        if (major == 1)
        {
            length = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..]);
            start = 10;
        }
        else if (major is 2 or 3)
        {
            if (got < 12 && stream.ReadAtLeast(pre[got..], 12 - got, throwOnEndOfStream: false) < 12 - got)
            {
                throw new DataException(path, "truncated .npy header");
            }
            length = BinaryPrimitives.ReadUInt32LittleEndian(pre[8..]);
            start = 12;
        }
        else
        {
            throw new DataException(path, $".npy version {major}.{pre[7]} is not supported (1, 2 or 3)");
        }
        if (length > 1 << 20)
        {
            throw new DataException(path, $".npy header of {length} bytes is implausibly long");
        }
        var text = new byte[length];
        stream.Position = start;
        if (stream.ReadAtLeast(text, text.Length, throwOnEndOfStream: false) < text.Length)
        {
            throw new DataException(path, "truncated .npy header");
        }
        Encoding enc = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
        return Parse(enc.GetString(text), start + length, path);
    }

    /// <summary>Parses the dict literal (keys in any order, trailing commas and spaces allowed).</summary>
    internal static NpyHeader Parse(string dict, long dataOffset, string path)
    {
        var p = new DictLiteralParser(dict, path);
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        p.Expect('{');
        while (!p.TryConsume('}'))
        {
            string key = p.ReadString();
            p.Expect(':');
            switch (key)
            {
                case "descr": descr = p.ReadString(); break;
                case "fortran_order": fortran = p.ReadBool(); break;
                case "shape": shape = p.ReadIntTuple(); break;
                default: throw new DataException(path, $"unexpected key '{key}' in .npy header");
            }
            if (!p.TryConsume(','))
            {
                p.Expect('}');
                break;
            }
        }
        if (descr is null || fortran is null || shape is null)
        {
            throw new DataException(path, ".npy header lacks descr, fortran_order or shape");
        }
        return new NpyHeader(descr, fortran.Value, shape, dataOffset);
    }
}
