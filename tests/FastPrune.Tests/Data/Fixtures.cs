using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace FastPrune.Tests.Data;

/// <summary>Writers for the small image, IDX and BMP fixtures the data tests generate.</summary>
internal static class Fixtures
{
    /// <summary>RGBA8888 pixels of a width×height image from a per-pixel colour function.</summary>
    public static byte[] Rgba(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var p = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = colour(x, y);
                int o = (y * width + x) * 4;
                (p[o], p[o + 1], p[o + 2], p[o + 3]) = (r, g, b, 255);
            }
        }
        return p;
    }

    /// <summary>Random RGB pixels (opaque) from a seeded generator.</summary>
    public static byte[] RandomRgba(int width, int height, int seed)
    {
        var rng = new Random(seed);
        return Rgba(width, height, (_, _) => ((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
    }

    public static void WriteImage(string path, byte[] rgba, int width, int height, SKEncodedImageFormat format, int quality = 100)
    {
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bmp.GetPixels(), rgba.Length);
        using SKData? data = format == SKEncodedImageFormat.Webp
            ? bmp.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            : bmp.Encode(format, quality);
        File.WriteAllBytes(path, (data ?? throw new InvalidOperationException($"Skia cannot encode {format}")).ToArray());
    }

    public static void WriteGrayPng(string path, byte[] gray, int width, int height)
    {
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bmp.GetPixels(), gray.Length);
        using SKData data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A 24-bit bottom-up BMP (Skia cannot encode BMP, so it is written by hand).</summary>
    public static void WriteBmp(string path, byte[] rgba, int width, int height)
    {
        int rowBytes = (width * 3 + 3) & ~3;
        var f = new byte[54 + rowBytes * height];
        f[0] = (byte)'B';
        f[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(2), f.Length);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(f.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(34), rowBytes * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * rowBytes;
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 4;
                (f[row + x * 3], f[row + x * 3 + 1], f[row + x * 3 + 2]) = (rgba[s + 2], rgba[s + 1], rgba[s]);
            }
        }
        File.WriteAllBytes(path, f);
    }

    /// <summary>An unsigned-byte IDX file with the given dims; gzipped when <paramref name="gzip"/>.</summary>
    public static void WriteIdx(string path, byte[] data, int[] dims, bool gzip = false)
    {
        using var ms = new MemoryStream();
        ms.Write([0, 0, 0x08, (byte)dims.Length]);
        Span<byte> d = stackalloc byte[4];
        foreach (int dim in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(d, dim);
            ms.Write(d);
        }
        ms.Write(data);
        byte[] bytes = ms.ToArray();
        if (gzip)
        {
            using var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest))
            {
                z.Write(bytes);
            }
            bytes = gz.ToArray();
        }
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Seeded random bytes.</summary>
    public static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }
}
