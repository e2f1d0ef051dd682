namespace FastPrune.Data;

/// <summary>
/// The 1-D antialiased bilinear (triangle filter) weights for a range of output positions, as Pillow's
/// BILINEAR resize computes them (which torchvision's Resize uses on PIL images): when shrinking, the
/// triangle widens by the scale so every source pixel contributes, which plain bilinear sampling does not.
/// </summary>
internal sealed class ResampleTaps
{
    private ResampleTaps(int[] start, int[] count, float[] weights, int stride)
    {
        Start = start;
        Count = count;
        Weights = weights;
        Stride = stride;
    }

    /// <summary>First source index read by each output position.</summary>
    public int[] Start { get; }

    /// <summary>Number of source indices read by each output position.</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="Stride"/> per output position, normalised to sum to 1.</summary>
    public float[] Weights { get; }

    /// <summary>Weights per output position in <see cref="Weights"/>.</summary>
    public int Stride { get; }

    /// <summary>Lowest source index read by any output position.</summary>
    public int MinSource => Start.Min();

    /// <summary>One past the highest source index read by any output position.</summary>
    public int MaxSource
    {
        get
        {
            int max = 0;
            for (int i = 0; i < Start.Length; i++)
            {
                max = Math.Max(max, Start[i] + Count[i]);
            }
            return max;
        }
    }

    /// <summary>Weights for output positions [first, first + length) of a resize from inSize to outSize.</summary>
    public static ResampleTaps Create(int inSize, int outSize, int first, int length)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale; // the triangle's radius is 1 output pixel, i.e. filterScale source pixels
        int stride = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[length];
        var count = new int[length];
        var weights = new float[length * stride];
        Span<double> w = stackalloc double[stride];
        for (int i = 0; i < length; i++)
        {
            double center = (first + i + 0.5) * scale;
            int min = Math.Max(0, (int)(center - support + 0.5));
            int max = Math.Min(inSize, (int)(center + support + 0.5));
            int n = max - min;
            double total = 0;
            for (int k = 0; k < n; k++)
            {
                double x = Math.Abs((min + k - center + 0.5) / filterScale);
                w[k] = x < 1 ? 1 - x : 0;
                total += w[k];
            }
            // Every output position has a source pixel within half a source pixel of its centre, so total > 0.
            for (int k = 0; k < n; k++)
            {
                weights[i * stride + k] = (float)(w[k] / total);
            }
            start[i] = min;
            count[i] = n;
        }
        return new ResampleTaps(start, count, weights, stride);
    }
}
