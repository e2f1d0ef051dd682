using ILGPU;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>Shape of one Gram launch: rows [RowStart, RowEnd) of X (rows×Cols) and Y (rows×Rhs).</summary>
internal struct GramArgs
{
    public int RowStart;
    public int RowEnd;
    public int Cols;
    public int Rhs;
    public int Size;
    public int AppendOnes;
}

/// <summary>
/// G += XᵀX (upper tiles) and H += XᵀY in one launch: grid z = 0 is G, z = 1 is H. Tiles of 32×32 outputs per
/// 16×16 group (2×2 per thread), operands staged through shared memory 16 rows at a time. Each output has exactly
/// one owner thread, which folds float32 sums of 128 rows into float64 partials and adds them to the float64 total:
/// no atomics, and rounding does not grow with the number of rows.
/// </summary>
internal static class GramKernels
{
    internal const int Tile = 32;
    internal const int Depth = 16;
    internal const int Threads = 16;
    internal const int FoldRows = 128;

    internal static void GramKernel(ArrayView<float> x, ArrayView<float> y, ArrayView<double> g, ArrayView<double> h, GramArgs p)
    {
        var sa = SharedMemory.Allocate<float>(Depth * Tile);
        var sb = SharedMemory.Allocate<float>(Depth * Tile);
        int tx = Group.IdxX, ty = Group.IdxY, z = Grid.IdxZ;
        int j0 = Grid.IdxX * Tile, i0 = Grid.IdxY * Tile;
        int width = z == 0 ? p.Size : p.Rhs;
        // Whole groups leave together, before any barrier.
        if (i0 >= p.Size || j0 >= width || (z == 0 && j0 + Tile <= i0))
            return;

        float c00 = 0, c01 = 0, c10 = 0, c11 = 0;
        double d00 = 0, d01 = 0, d10 = 0, d11 = 0;
        int lin = ty * Threads + tx;
        for (int k0 = p.RowStart; k0 < p.RowEnd; k0 += Depth)
        {
            // Float32 sums run over at most FoldRows rows before joining float64: compensation without Kahan's cost.
            if ((k0 - p.RowStart) % FoldRows == 0)
            {
                d00 += c00; d01 += c01; d10 += c10; d11 += c11;
                c00 = 0; c01 = 0; c10 = 0; c11 = 0;
            }
            for (int l = 0; l < 2; l++)
            {
                int idx = lin + l * Threads * Threads;
                int r = k0 + idx / Tile, c = idx % Tile;
                sa[idx] = LoadX(x, p, r, i0 + c);
                sb[idx] = z == 0 ? LoadX(x, p, r, j0 + c) : LoadY(y, p, r, j0 + c);
            }
            Group.Barrier();
            for (int kk = 0; kk < Depth; kk++)
            {
                float a0 = sa[kk * Tile + ty], a1 = sa[kk * Tile + ty + Threads];
                float b0 = sb[kk * Tile + tx], b1 = sb[kk * Tile + tx + Threads];
                c00 += a0 * b0; c01 += a0 * b1; c10 += a1 * b0; c11 += a1 * b1;
            }
            Group.Barrier();
        }

        var dst = z == 0 ? g : h;
        Write(dst, width, p.Size, i0 + ty, j0 + tx, d00 + c00);
        Write(dst, width, p.Size, i0 + ty, j0 + tx + Threads, d01 + c01);
        Write(dst, width, p.Size, i0 + ty + Threads, j0 + tx, d10 + c10);
        Write(dst, width, p.Size, i0 + ty + Threads, j0 + tx + Threads, d11 + c11);
    }

    private static float LoadX(ArrayView<float> x, GramArgs p, int r, int c)
    {
        if (r >= p.RowEnd)
            return 0f;
        if (c < p.Cols)
            return x[(long)r * p.Cols + c];
        return c == p.Cols && p.AppendOnes != 0 ? 1f : 0f;
    }

    private static float LoadY(ArrayView<float> y, GramArgs p, int r, int c) =>
        r < p.RowEnd && c < p.Rhs ? y[(long)r * p.Rhs + c] : 0f;

    private static void Write(ArrayView<double> dst, int width, int rows, int i, int j, double value)
    {
        if (i < rows && j < width)
            dst[(long)i * width + j] += value;
    }

    /// <summary>Gathers A = G[live, live] + λI and B = H[live, out] (float32) for one problem: index (i, j) with j over n+m.</summary>
    internal static void GatherKernel(Index2D index, ArrayView<double> g, ArrayView<double> h, ArrayView<int> live, ArrayView<int> outs,
        ArrayView<float> a, ArrayView<float> w, GatherArgs p)
    {
        int i = index.X, j = index.Y;
        long src = live[i];
        if (j < p.N)
            a[p.AOffset + (long)i * p.N + j] = (float)g[src * p.Size + live[j]] + (i == j ? p.Lambda : 0f);
        else
            w[p.WOffset + (long)i * p.M + (j - p.N)] = (float)h[src * p.Rhs + outs[j - p.N]];
    }
}

/// <summary>Shape of one gather launch.</summary>
internal struct GatherArgs
{
    public int N;
    public int M;
    public int Size;
    public int Rhs;
    public long AOffset;
    public long WOffset;
    public float Lambda;
}
