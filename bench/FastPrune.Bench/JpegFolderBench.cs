using SkiaSharp;

namespace FastPrune.Bench;

/// <summary>
/// Writes a synthetic ImageNet-sized image folder (class/NNNNN.jpg) for the scale measurements: no data set
/// ships with the repository and the scale benches only need realistic sizes and non-degenerate pixels
/// (smooth class-dependent colour fields, a few shapes and noise, so that conv patches have full rank).
/// </summary>
public sealed class JpegFolderBench : IBench
{
    public string Name => "jpegs";

    public string Summary => "write a synthetic JPEG folder: jpegs OUT_DIR COUNT [SIZE=256] [CLASSES=10] [SEED=0]";

    public int Run(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[1], out int count) || count < 1)
        {
            Console.Error.WriteLine($"usage: {Summary}");
            return 2;
        }
        int size = args.Length > 2 ? int.Parse(args[2]) : 256;
        int classes = args.Length > 3 ? int.Parse(args[3]) : 10;
        int seed = args.Length > 4 ? int.Parse(args[4]) : 0;
        var rng = new Random(seed);
        for (int c = 0; c < classes; c++) Directory.CreateDirectory(Path.Combine(args[0], $"c{c:D3}"));
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { IsAntialias = true };
        for (int i = 0; i < count; i++)
        {
            int cls = i % classes;
            Draw(bitmap, canvas, paint, cls, classes, rng);
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
            using var file = File.Create(Path.Combine(args[0], $"c{cls:D3}", $"{i:D6}.jpg"));
            data.SaveTo(file);
        }
        Console.WriteLine($"wrote {count} {size}x{size} JPEGs in {classes} classes to {args[0]}");
        return 0;
    }

    private static void Draw(SKBitmap bitmap, SKCanvas canvas, SKPaint paint, int cls, int classes, Random rng)
    {
        int size = bitmap.Width;
        // A class-dependent hue gradient, then random ellipses and rectangles, then per-pixel noise.
        float hue = 360f * cls / classes;
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, size * (float)rng.NextDouble()),
                   [SKColor.FromHsv(hue, 60, 90), SKColor.FromHsv((hue + 90) % 360, 80, 40)], SKShaderTileMode.Clamp))
        {
            paint.Shader = shader;
            canvas.DrawRect(0, 0, size, size, paint);
            paint.Shader = null;
        }
        for (int k = 0; k < 6; k++)
        {
            paint.Color = SKColor.FromHsv((float)(rng.NextDouble() * 360), (float)(rng.NextDouble() * 100), (float)(rng.NextDouble() * 100));
            float x = (float)rng.NextDouble() * size, y = (float)rng.NextDouble() * size, r = 8 + (float)rng.NextDouble() * size / 4;
            if (k % 2 == 0) canvas.DrawOval(x, y, r, r * 0.6f, paint);
            else canvas.DrawRect(x - r, y - r / 2, r, r, paint);
        }
        canvas.Flush();
        var pixels = bitmap.GetPixelSpan();
        var noise = new byte[pixels.Length];
        rng.NextBytes(noise);
        var span = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels), pixels.Length);
        for (int p = 0; p < span.Length; p++)
            if (p % 4 != 3) span[p] = (byte)Math.Clamp(span[p] + (noise[p] >> 4) - 8, 0, 255);
    }
}
