using System.Numerics.Tensors;

namespace FastPrune.Kernels.Cpu;

/// <summary>
/// Managed CPU Gram accumulator: float32 products over at most <see cref="FoldRows"/> rows (kept short so float32
/// rounding stays at a few ulps), folded into float64 totals.
/// </summary>
internal sealed unsafe class CpuGramAccumulator : GramAccumulator
{
    internal const int FoldRows = 4096;
    private float[] _g;
    private float[] _h;
    private double[] _gTotal;
    private double[] _hTotal;
    private readonly int _threads;
    private int _pending;

    internal CpuGramAccumulator(int cols, int rhs, bool appendOnes, int threads)
        : base(cols, rhs, appendOnes)
    {
        _threads = threads;
        _g = new float[(long)Size * Size];
        _h = new float[(long)Size * rhs];
        _gTotal = new double[_g.Length];
        _hTotal = new double[_h.Length];
    }

    protected override void AddCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        for (int r0 = 0; r0 < rows;)
        {
            int piece = Math.Min(rows - r0, FoldRows - _pending);
            var xs = x.Slice(r0 * Cols, piece * Cols);
            var ys = y.Slice(r0 * Rhs, piece * Rhs);
            fixed (float* px = xs, py = ys, pg = _g, ph = _h)
            {
                BlockedProduct.Run(px, Cols, Cols, false, py, Rhs, Rhs, piece, pg, Size, ph, Rhs, subtract: false, _threads);
            }
            if (AppendOnes)
                AddOnesColumn(xs, ys, piece);
            _pending += piece;
            r0 += piece;
            if (_pending == FoldRows)
                Fold();
        }
    }

    protected override void FlushCore(Span<double> gram, Span<double> cross)
    {
        Fold();
        _gTotal.CopyTo(gram);
        _hTotal.CopyTo(cross);
    }

    protected override void ReleaseWorkspace() => (_g, _h, _gTotal, _hTotal) = ([], [], [], []);

    private void AddOnesColumn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        // The ones column's products are plain column sums: G[i, cols] = Σ x_i, G[cols, cols] = rows, H[cols, j] = Σ y_j.
        Span<float> sx = new float[Cols];
        Span<float> sy = _h.AsSpan(Cols * Rhs, Rhs);
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(sx, x.Slice(r * Cols, Cols), sx);
            TensorPrimitives.Add(sy, y.Slice(r * Rhs, Rhs), sy);
        }
        for (int i = 0; i < Cols; i++)
            _g[(long)i * Size + Cols] += sx[i];
        _g[(long)Cols * Size + Cols] += rows;
    }

    private void Fold()
    {
        if (_pending == 0)
            return;
        Parallel.For(0, Size, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
        {
            // Upper triangle only: the kernels never write below the diagonal's panel anyway.
            var src = _g.AsSpan((int)((long)i * Size + i), Size - i);
            var dst = _gTotal.AsSpan((int)((long)i * Size + i), Size - i);
            for (int j = 0; j < src.Length; j++) dst[j] += src[j];
            src.Clear();
            var hs = _h.AsSpan(i * Rhs, Rhs);
            var hd = _hTotal.AsSpan(i * Rhs, Rhs);
            for (int j = 0; j < hs.Length; j++) hd[j] += hs[j];
            hs.Clear();
        });
        _pending = 0;
    }
}
