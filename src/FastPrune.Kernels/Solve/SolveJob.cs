namespace FastPrune.Kernels;

/// <summary>
/// One attempt at one system, as handed to a backend: solve (G[live, live] + λI) W = H[live, out] in float32.
/// <see cref="Weights"/> receives W (Live.Length × Out.Length); the backend sets <see cref="Succeeded"/>.
/// </summary>
internal sealed class SolveJob(int index, IGramSource source, int[] live, int[] outputs, double lambda)
{
    public int Index { get; } = index;

    public IGramSource Source { get; } = source;

    public int[] Live { get; } = live;

    public int[] Out { get; } = outputs;

    public double Lambda { get; } = lambda;

    // NaN-filled so an element a backend forgets to write fails the finiteness check instead of reading as 0.
    public float[] Weights { get; } = Poisoned((long)live.Length * outputs.Length);

    public bool Succeeded { get; set; }

    private static float[] Poisoned(long length)
    {
        var w = new float[length];
        Array.Fill(w, float.NaN);
        return w;
    }

    /// <summary>Gathers A = G[live, live] + λI (float32, full square) and B = H[live, out] into spans, in parallel over rows.</summary>
    public void Gather(Span<float> a, Span<float> b)
    {
        int n = Live.Length, m = Out.Length;
        if (a.Length < (long)n * n || b.Length < (long)n * m)
            throw new ArgumentException("Gather destinations are too small.");
        unsafe
        {
            fixed (float* pa = a, pb = b)
            {
                float* ca = pa, cb = pb;
                var src = Source;
                int size = src.Size, rhs = src.Rhs;
                var live = Live;
                var outs = Out;
                float lambda = (float)Lambda;
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n >= 256 ? Environment.ProcessorCount : 1 }, i =>
                {
                    var gRow = src.Gram.Slice(live[i] * size, size);
                    var hRow = src.Cross.Slice(live[i] * rhs, rhs);
                    float* ar = ca + (long)i * n;
                    for (int j = 0; j < n; j++)
                        ar[j] = (float)gRow[live[j]];
                    ar[i] += lambda;
                    float* br = cb + (long)i * m;
                    for (int j = 0; j < m; j++)
                        br[j] = (float)hRow[outs[j]];
                });
            }
        }
    }
}
