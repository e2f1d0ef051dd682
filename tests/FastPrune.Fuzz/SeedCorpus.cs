using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;
using Google.Protobuf;
using SkiaSharp;

namespace FastPrune.Fuzz;

/// <summary>
/// Small valid inputs for each target, generated rather than committed so that they always match the
/// readers' current formats. Small matters: a mutation of a 300-byte model reaches the validator's
/// branches, a mutation of an 800 KB sample mostly lands in weight bytes.
/// </summary>
public static class SeedCorpus
{
    /// <summary>The seeds of target <paramref name="name"/> (see <see cref="FuzzTargets.Names"/>).</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public static IReadOnlyList<byte[]> For(string name) => name switch
    {
        "model" => Models(),
        "npy" => NpyFiles(),
        "idx" => IdxFiles(),
        "image" => Images(),
        _ => throw new ArgumentException($"unknown fuzz target '{name}'", nameof(name)),
    };

    /// <summary>A conv chain, a residual block with pooling and a Gemm head, a legacy (opset 9) export and a tiny ViT.</summary>
    public static IReadOnlyList<byte[]> Models() =>
    [
        ConvChain().ToByteArray(),
        Residual().ToByteArray(),
        ZooModels.BuildVit(new VitConfig(ImageSize: 4, PatchSize: 2, Width: 4, Depth: 1, Heads: 2, MlpDim: 4, Classes: 2), seed: 1).ToByteArray(),
    ];

    /// <summary>float32 2×1×4×4 in header versions 1.0 and 2.0, and int64 / int32 label vectors of 2.</summary>
    public static IReadOnlyList<byte[]> NpyFiles()
    {
        float[] pixels = [.. Enumerable.Range(0, 32).Select(i => i / 32f)];
        return
        [
            Npy(1, "<f4", "(2, 1, 4, 4)", MemoryMarshal.AsBytes(pixels.AsSpan())),
            Npy(2, "<f4", "(2, 1, 4, 4)", MemoryMarshal.AsBytes(pixels.AsSpan())),
            Npy(1, "<i8", "(2,)", MemoryMarshal.AsBytes(new long[] { 0, 1 }.AsSpan())),
            Npy(1, "<i4", "(2,)", MemoryMarshal.AsBytes(new int[] { 1, 0 }.AsSpan())),
        ];
    }

    /// <summary>IDX images 2×4×4 (plain and gzipped) and IDX labels of 2.</summary>
    public static IReadOnlyList<byte[]> IdxFiles()
    {
        byte[] images = Idx([2, 4, 4], [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 8))]);
        return [images, Gzip(images), Idx([2], [1, 0])];
    }

    /// <summary>8×8 PNG, JPEG and WebP encoded by Skia, and a 24-bit BMP.</summary>
    public static IReadOnlyList<byte[]> Images()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(8, 8, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 32), (byte)(y * 32), (byte)((x + y) * 16)));
        using var image = SKImage.FromBitmap(bitmap);
        byte[] Encode(SKEncodedImageFormat f) => image.Encode(f, 90).ToArray();
        return [Encode(SKEncodedImageFormat.Png), Encode(SKEncodedImageFormat.Jpeg), Encode(SKEncodedImageFormat.Webp), Bmp(8, 8)];
    }

    /// <summary>Writes every target's seeds as <c>DIR/TARGET/seed-N</c> (the AFL++ input folders).</summary>
    public static void WriteAll(string folder)
    {
        foreach (string name in FuzzTargets.Names)
        {
            string dir = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
            var seeds = For(name);
            for (int i = 0; i < seeds.Count; i++)
                File.WriteAllBytes(Path.Combine(dir, $"seed-{i}"), seeds[i]);
        }
    }

    private static ModelProto ConvChain()
    {
        var b = new GraphBuilder("chain", opset: 13);
        var x = b.Input("input", ElemType.Float, 1, 1, 4, 4);
        var w = b.Initializer("c1.weight", [2, 1, 3, 3], Weights(18));
        var c = b.Node("Conv", [x, w, b.Initializer("c1.bias", [2], Weights(2))], [Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("kernel_shape", 3, 3)], name: "c1");
        var r = b.Node("Relu", [c], name: "r1");
        var o = b.Node("Conv", [r, b.Initializer("c2.weight", [2, 2, 1, 1], Weights(4))], name: "c2", output: "output");
        b.Output(o, ElemType.Float, 1, 2, 4, 4);
        return b.Build();
    }

    private static ModelProto Residual()
    {
        var b = new GraphBuilder("residual", opset: 13);
        var x = b.Input("input", ElemType.Float, "batch", 1, 4, 4);
        var stem = b.Node("Conv", [x, b.Initializer("stem.weight", [2, 1, 1, 1], Weights(2))], name: "stem");
        var c1 = b.Node("Conv", [stem, b.Initializer("a.weight", [2, 2, 3, 3], Weights(36))], [Attrs.Ints("pads", 1, 1, 1, 1)], name: "a");
        var r1 = b.Node("Relu", [c1], name: "ra");
        var sum = b.Node("Add", [r1, stem], name: "add");
        var pool = b.Node("GlobalAveragePool", [sum], name: "pool");
        var flat = b.Node("Flatten", [pool], [Attrs.Int("axis", 1)], name: "flat");
        var o = b.Node("Gemm", [flat, b.Initializer("fc.weight", [3, 2], Weights(6)), b.Initializer("fc.bias", [3], Weights(3))],
            [Attrs.Int("transB", 1)], name: "fc", output: "logits");
        b.Output(o, ElemType.Float, "batch", 3);
        return b.Build();
    }

    private static float[] Weights(int n) => [.. Enumerable.Range(0, n).Select(i => (i % 7 - 3) / 4f)];

    private static byte[] Npy(int major, string descr, string shape, ReadOnlySpan<byte> data)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        string header = dict.PadRight(dict.Length + (64 - (prefix + dict.Length + 1) % 64) % 64) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, header.Length);
        ms.Write(major == 1 ? len[..2] : len);
        ms.Write(Encoding.Latin1.GetBytes(header));
        ms.Write(data);
        return ms.ToArray();
    }

    private static byte[] Idx(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(data);
        return ms.ToArray();
    }

    // BITMAPFILEHEADER (14 bytes) + BITMAPINFOHEADER (40 bytes) + bottom-up BGR rows padded to 4 bytes.
    private static byte[] Bmp(int width, int height)
    {
        int row = (width * 3 + 3) & ~3;
        var b = new byte[54 + row * height];
        b[0] = (byte)'B';
        b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), b.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width * 3; x++)
                b[54 + y * row + x] = (byte)(x * 10 + y * 20);
        return b;
    }
}
