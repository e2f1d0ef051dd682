using System.Buffers;

namespace FastPrune.Data;

/// <summary>
/// Resize + centre crop + channel conversion + normalisation of one decoded RGBA image, computing only the
/// cropped window: a horizontal pass over the source rows the crop needs, then a vertical pass.
/// </summary>
internal static class ImageResampler
{
    // ITU-R 601 luma, the weights Pillow's convert("L") uses.
    private const float LumaR = 0.299f, LumaG = 0.587f, LumaB = 0.114f;

    /// <summary>
    /// Writes the C×H×W model input for an RGBA8888 image (alpha ignored). For 1 channel the RGB is
    /// reduced to luma; for 3 channels it is kept (a grayscale image decodes as R = G = B, so it is replicated).
    /// </summary>
    public static void Process(
        ReadOnlySpan<byte> rgba, int width, int height, ResizeGeometry g, SampleShape shape,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> std, Span<float> chw)
    {
        int outH = shape.Height, outW = shape.Width;
        if (shape.Channels is not (1 or 3))
        {
            throw new ArgumentException($"images convert to 1 or 3 channels, not {shape.Channels}", nameof(shape));
        }
        if (rgba.Length < (long)width * height * 4 || chw.Length != shape.Length)
        {
            throw new ArgumentException("buffer sizes do not match the image and sample shapes");
        }
        ResampleTaps xt = ResampleTaps.Create(width, g.ResizedWidth, g.Left, outW);
        ResampleTaps yt = ResampleTaps.Create(height, g.ResizedHeight, g.Top, outH);
        int y0 = yt.MinSource, rows = yt.MaxSource - y0;

        // rows × outW × RGB, horizontally resampled; only rows the crop's vertical taps read.
        float[] tmp = ArrayPool<float>.Shared.Rent(rows * outW * 3);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<byte> src = rgba.Slice((y0 + r) * width * 4, width * 4);
                Span<float> dst = tmp.AsSpan(r * outW * 3, outW * 3);
                for (int x = 0; x < outW; x++)
                {
                    float sr = 0, sg = 0, sb = 0;
                    int s0 = xt.Start[x];
                    ReadOnlySpan<float> w = xt.Weights.AsSpan(x * xt.Stride, xt.Count[x]);
                    for (int k = 0; k < w.Length; k++)
                    {
                        int p = (s0 + k) * 4;
                        sr += w[k] * src[p];
                        sg += w[k] * src[p + 1];
                        sb += w[k] * src[p + 2];
                    }
                    dst[x * 3] = sr;
                    dst[x * 3 + 1] = sg;
                    dst[x * 3 + 2] = sb;
                }
            }

            int plane = outH * outW;
            for (int y = 0; y < outH; y++)
            {
                int r0 = yt.Start[y] - y0;
                ReadOnlySpan<float> w = yt.Weights.AsSpan(y * yt.Stride, yt.Count[y]);
                for (int x = 0; x < outW; x++)
                {
                    float sr = 0, sg = 0, sb = 0;
                    for (int k = 0; k < w.Length; k++)
                    {
                        int p = ((r0 + k) * outW + x) * 3;
                        sr += w[k] * tmp[p];
                        sg += w[k] * tmp[p + 1];
                        sb += w[k] * tmp[p + 2];
                    }
                    int o = y * outW + x;
                    if (shape.Channels == 1)
                    {
                        float l = (LumaR * sr + LumaG * sg + LumaB * sb) / 255f;
                        chw[o] = (l - mean[0]) / std[0];
                    }
                    else
                    {
                        chw[o] = (sr / 255f - mean[0]) / std[0];
                        chw[plane + o] = (sg / 255f - mean[1]) / std[1];
                        chw[2 * plane + o] = (sb / 255f - mean[2]) / std[2];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tmp);
        }
    }
}
