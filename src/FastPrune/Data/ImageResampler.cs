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
            int[] xs = xt.Start, xc = xt.Count;
            float[] xw = xt.Weights;
            int xStride = xt.Stride;
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<byte> src = rgba.Slice((y0 + r) * width * 4, width * 4);
                Span<float> dst = tmp.AsSpan(r * outW * 3, outW * 3);
                for (int x = 0; x < dst.Length / 3; x++)
                {
                    float sr = 0, sg = 0, sb = 0;
                    ReadOnlySpan<byte> px = src.Slice(xs[x] * 4, xc[x] * 4);
                    ReadOnlySpan<float> w = xw.AsSpan(x * xStride, xc[x]);
                    for (int k = 0; k < w.Length; k++)
                    {
                        float wk = w[k];
                        sr += wk * px[k * 4];
                        sg += wk * px[k * 4 + 1];
                        sb += wk * px[k * 4 + 2];
                    }
                    dst[x * 3] = sr;
                    dst[x * 3 + 1] = sg;
                    dst[x * 3 + 2] = sb;
                }
            }

            int plane = outH * outW, row = outW * 3;
            float[] accBuf = ArrayPool<float>.Shared.Rent(row);
            try
            {
                for (int y = 0; y < outH; y++)
                {
                    // Accumulate whole rows so the inner loop runs over contiguous memory.
                    Span<float> sum = accBuf.AsSpan(0, row);
                    sum.Clear();
                    int r0 = yt.Start[y] - y0;
                    ReadOnlySpan<float> w = yt.Weights.AsSpan(y * yt.Stride, yt.Count[y]);
                    for (int k = 0; k < w.Length; k++)
                    {
                        ReadOnlySpan<float> line = tmp.AsSpan((r0 + k) * row, row);
                        float wk = w[k];
                        for (int i = 0; i < sum.Length; i++)
                        {
                            sum[i] += wk * line[i];
                        }
                    }
                    int o = y * outW;
                    if (shape.Channels == 1)
                    {
                        float m = mean[0], inv = 1f / std[0];
                        for (int x = 0; x < outW; x++)
                        {
                            float l = (LumaR * sum[x * 3] + LumaG * sum[x * 3 + 1] + LumaB * sum[x * 3 + 2]) / 255f;
                            chw[o + x] = (l - m) * inv;
                        }
                    }
                    else
                    {
                        for (int c = 0; c < 3; c++)
                        {
                            Span<float> dst = chw.Slice(c * plane + o, outW);
                            float m = mean[c], inv = 1f / std[c];
                            for (int x = 0; x < dst.Length; x++)
                            {
                                dst[x] = (sum[x * 3 + c] / 255f - m) * inv;
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(accBuf);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(tmp);
        }
    }
}
