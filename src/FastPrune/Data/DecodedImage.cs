using System.Buffers;

namespace FastPrune.Data;

/// <summary>Decoded RGBA8888 pixels in a pooled buffer, returned to the pool on dispose.</summary>
internal sealed class DecodedImage(byte[] pixels, int width, int height) : IDisposable
{
    private byte[]? _pixels = pixels;

    public int Width { get; } = width;

    public int Height { get; } = height;

    public ReadOnlySpan<byte> Rgba => (_pixels ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, Width * Height * 4);

    public void Dispose()
    {
        if (_pixels is { } p)
        {
            _pixels = null;
            ArrayPool<byte>.Shared.Return(p);
        }
    }
}
