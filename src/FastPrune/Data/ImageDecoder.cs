using System.Buffers;
using SkiaSharp;

namespace FastPrune.Data;

/// <summary>Decodes an image file (JPEG, PNG, BMP, WebP, …) with SkiaSharp into unpremultiplied RGBA8888.</summary>
internal static class ImageDecoder
{
    /// <summary>File extensions (lower case) an image folder is scanned for.</summary>
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };

    /// <summary>
    /// The most pixels an image may have (Pillow's <c>MAX_IMAGE_PIXELS</c>, above which it warns of a
    /// decompression bomb): 358 MB of RGBA per image, and up to eight images decode at once. A header
    /// claiming more is refused before any pixel buffer is allocated.
    /// </summary>
    public const long MaxPixels = 89_478_485;

    /// <summary>Decodes <paramref name="path"/>; dispose the result to return its pooled pixel buffer.</summary>
    /// <exception cref="DataException">The file is not a decodable image or is truncated.</exception>
    /// <exception cref="IOException">The file cannot be opened (missing, permissions).</exception>
    public static DecodedImage Decode(string path)
    {
        // Open the file ourselves so a missing or unreadable file raises the ordinary IO exception. Skia then
        // reads it from native memory: a managed stream would hand Skia's reads to a managed callback, and a
        // corrupt file that makes a codec ask for an absurd read threw inside that callback and aborted the
        // process (found by the fuzzer).
        using (File.OpenRead(path)) { }
        using SKData data = SKData.Create(path) ?? throw new DataException(path, "cannot be read as an image");
        using SKCodec? codec = SKCodec.Create(new SKMemoryStream(data), out SKCodecResult created);
        if (codec is null)
        {
            throw new DataException(path, $"not a decodable image ({Describe(created)})");
        }
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0)
        {
            throw new DataException(path, $"image has an empty size {width}x{height}");
        }
        if ((long)width * height > MaxPixels)
        {
            throw new DataException(path, FormattableString.Invariant($"image of {width}x{height} pixels is larger than the limit of {MaxPixels:N0} pixels"));
        }
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int bytes = width * height * 4;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(bytes);
        bool handedOver = false;
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* p = pixels)
                {
                    result = codec.GetPixels(info, (IntPtr)p);
                }
            }
            // IncompleteInput means Skia filled the missing rows with a default colour: a truncated file,
            // which Pillow (and hence the reference pipeline) refuses too.
            if (result != SKCodecResult.Success)
            {
                throw new DataException(path, $"image does not decode ({Describe(result)})");
            }
            handedOver = true;
            return new DecodedImage(pixels, width, height);
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(pixels);
            }
        }
    }

    private static string Describe(SKCodecResult r) => r switch
    {
        SKCodecResult.IncompleteInput => "truncated",
        SKCodecResult.ErrorInInput => "corrupt data",
        SKCodecResult.InvalidInput => "unrecognised format",
        SKCodecResult.Unimplemented => "unsupported format",
        _ => r.ToString(),
    };
}
