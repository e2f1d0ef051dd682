using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FastPrune.Tests.Fuzz;

/// <summary>Byte builders for hostile inputs: image, .npy and IDX headers that promise too much, and raw protobuf.</summary>
internal static class HostileFiles
{
    // PNG signature, an IHDR of width x height RGB8, a small IDAT and IEND: Skia reads the size from IHDR.
    public static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        (ihdr[8], ihdr[9]) = (8, 2);
        var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[100]);
        return [0x89, .. "PNG\r\n"u8, 0x1a, (byte)'\n', .. Chunk("IHDR", ihdr), .. Chunk("IDAT", idat.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] body = [.. Encoding.ASCII.GetBytes(type), .. data];
        var b = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(b, data.Length);
        body.CopyTo(b, 4);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8 + data.Length), Crc32(body));
        return b;
    }

    // CRC-32 (ISO-HDLC, reflected 0xEDB88320), as PNG chunks carry it.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte v in data)
        {
            c ^= v;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    public static byte[] Npy(string descr, string shape, byte[] data)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. Encoding.Latin1.GetBytes(header), .. data];
    }

    public static byte[] IdxHeader(params int[] dims)
    {
        var b = new byte[4 + 4 * dims.Length];
        b[2] = 0x08;
        b[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4 + 4 * i), dims[i]);
        return b;
    }
    public static byte[] Repeat(byte[] entry, int times)
    {
        var b = new byte[entry.Length * times];
        for (int i = 0; i < times; i++) entry.CopyTo(b, i * entry.Length);
        return b;
    }

    public static byte[] Message(int field, byte[] body) => [.. Tag(field, 2), .. Varint(body.Length), .. body];

    public static byte[] Tag(int field, int wireType) => Varint((field << 3) | wireType);

    public static byte[] Varint(long v)
    {
        var b = new List<byte>();
        ulong u = (ulong)v;
        do
        {
            b.Add((byte)((u & 0x7F) | (u > 0x7F ? 0x80u : 0)));
            u >>= 7;
        } while (u != 0);
        return [.. b];
    }
}
