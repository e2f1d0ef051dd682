using ILGPU;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>
/// Batched blocked Cholesky (A = UᵀU, U upper, row-major) and triangular solves over many systems of different
/// sizes packed into two flat buffers: <c>a</c> holds every n×n matrix, <c>w</c> every n×m right-hand side.
/// The problem table has <see cref="TableStride"/> ints per system: n, m, offset in a, offset in w. A launch
/// covers all systems; systems already finished (k0 ≥ n) or failed (status ≠ 0) drop out.
/// </summary>
internal static class CholeskyKernels
{
    internal const int Nb = 32;
    internal const int TableStride = 4;
    internal const int DescStride = 16;
    private const int Pad = Nb + 1;

    /// <summary>Factors the Nb×Nb diagonal block at k0 of every system: one group of Nb threads per system, thread t owns column t.</summary>
    internal static void FactorDiagKernel(ArrayView<float> a, ArrayView<int> table, ArrayView<int> status, int k0)
    {
        var s = SharedMemory.Allocate<float>(Nb * Pad);
        var failed = SharedMemory.Allocate<int>(1);
        int p = Grid.IdxX, t = Group.IdxX;
        int n = table[p * TableStride];
        long off = table[p * TableStride + 2];
        if (k0 >= n || status[p] != 0)
            return;
        int b = n - k0 < Nb ? n - k0 : Nb;
        if (t == 0)
            failed[0] = 0;
        for (int r = 0; r < b; r++)
            if (t < b) s[r * Pad + t] = a[off + (long)(k0 + r) * n + k0 + t];
        Group.Barrier();
        for (int r = 0; r < b; r++)
        {
            if (t == 0)
            {
                float d = s[r * Pad + r];
                // NaN fails both comparisons, so a poisoned pivot is a failure too.
                if (d > 0f && d < float.PositiveInfinity) s[r * Pad + r] = MathF.Sqrt(d);
                else failed[0] = 1;
            }
            Group.Barrier();
            if (failed[0] != 0)
                break;
            if (t > r && t < b)
                s[r * Pad + t] = s[r * Pad + t] / s[r * Pad + r];
            Group.Barrier();
            if (t > r && t < b)
                for (int i = r + 1; i <= t; i++)
                    s[i * Pad + t] -= s[r * Pad + i] * s[r * Pad + t];
            Group.Barrier();
        }
        if (failed[0] != 0)
        {
            if (t == 0) status[p] = 1;
            return;
        }
        for (int r = 0; r < b; r++)
            if (t < b) a[off + (long)(k0 + r) * n + k0 + t] = s[r * Pad + t];
    }

    /// <summary>
    /// X ← U11⁻ᵀ X for the b rows at k0, one thread per column: mode 0 is the panel U12 of A, mode 1 the RHS block of w.
    /// </summary>
    internal static void ForwardKernel(Index2D index, ArrayView<float> a, ArrayView<float> w, ArrayView<int> table, ArrayView<int> status, int k0, int mode)
    {
        int c = index.X, p = index.Y;
        int n = table[p * TableStride], m = table[p * TableStride + 1];
        if (k0 >= n || status[p] != 0)
            return;
        int b = n - k0 < Nb ? n - k0 : Nb;
        long u = table[p * TableStride + 2] + (long)k0 * n + k0;
        long x;
        int ld;
        if (mode == 0)
        {
            if (c >= n - k0 - b) return;
            x = u + b + c;
            ld = n;
        }
        else
        {
            if (c >= m) return;
            x = table[p * TableStride + 3] + (long)k0 * m + c;
            ld = m;
        }
        var v = mode == 0 ? a : w;
        for (int r = 0; r < b; r++)
        {
            float sum = v[x + (long)r * ld];
            for (int t = 0; t < r; t++)
                sum -= a[u + (long)t * n + r] * v[x + (long)t * ld];
            v[x + (long)r * ld] = sum / a[u + (long)r * n + r];
        }
    }

    /// <summary>W ← U11⁻¹ W for the b RHS rows at k0, one thread per RHS column.</summary>
    internal static void BackwardKernel(Index2D index, ArrayView<float> a, ArrayView<float> w, ArrayView<int> table, ArrayView<int> status, int k0)
    {
        int c = index.X, p = index.Y;
        int n = table[p * TableStride], m = table[p * TableStride + 1];
        if (k0 >= n || status[p] != 0 || c >= m)
            return;
        int b = n - k0 < Nb ? n - k0 : Nb;
        long u = table[p * TableStride + 2] + (long)k0 * n + k0;
        long x = table[p * TableStride + 3] + (long)k0 * m + c;
        for (int r = b - 1; r >= 0; r--)
        {
            float sum = w[x + (long)r * m];
            for (int t = r + 1; t < b; t++)
                sum -= a[u + (long)r * n + t] * w[x + (long)t * m];
            w[x + (long)r * m] = sum / a[u + (long)r * n + r];
        }
    }

    /// <summary>
    /// C -= AᵀB per system (tiled like the Gram kernel). Descriptor ints: 0 aOff, 1 lda, 2 aTransposed, 3 bOff,
    /// 4 ldb, 5 bInW, 6 cOff, 7 ldc, 8 cInW, 9 K, 10 M, 11 N, 12 upper. M = 0 skips the system.
    /// </summary>
    internal static void UpdateKernel(ArrayView<float> a, ArrayView<float> w, ArrayView<int> desc, ArrayView<int> status, int descOffset)
    {
        var sa = SharedMemory.Allocate<float>(GramKernels.Depth * GramKernels.Tile);
        var sb = SharedMemory.Allocate<float>(GramKernels.Depth * GramKernels.Tile);
        const int T = GramKernels.Tile, D = GramKernels.Depth, G = GramKernels.Threads;
        int p = Grid.IdxZ, tx = Group.IdxX, ty = Group.IdxY;
        int d = descOffset + p * DescStride;
        int k = desc[d + 9], mm = desc[d + 10], nn = desc[d + 11];
        int i0 = Grid.IdxY * T, j0 = Grid.IdxX * T;
        if (status[p] != 0 || mm == 0 || i0 >= mm || j0 >= nn || (desc[d + 12] != 0 && j0 + T <= i0))
            return;
        long aOff = desc[d], bOff = desc[d + 3], cOff = desc[d + 6];
        int lda = desc[d + 1], ldb = desc[d + 4], ldc = desc[d + 7];
        bool aT = desc[d + 2] != 0;
        var bv = desc[d + 5] != 0 ? w : a;
        var cv = desc[d + 8] != 0 ? w : a;

        float c00 = 0, c01 = 0, c10 = 0, c11 = 0;
        int lin = ty * G + tx;
        for (int k0 = 0; k0 < k; k0 += D)
        {
            for (int l = 0; l < 2; l++)
            {
                int idx = lin + l * G * G;
                int r = k0 + idx / T, cc = idx % T;
                int i = i0 + cc, j = j0 + cc;
                sa[idx] = r < k && i < mm ? a[aT ? aOff + (long)i * lda + r : aOff + (long)r * lda + i] : 0f;
                sb[idx] = r < k && j < nn ? bv[bOff + (long)r * ldb + j] : 0f;
            }
            Group.Barrier();
            for (int kk = 0; kk < D; kk++)
            {
                float a0 = sa[kk * T + ty], a1 = sa[kk * T + ty + G];
                float b0 = sb[kk * T + tx], b1 = sb[kk * T + tx + G];
                c00 += a0 * b0; c01 += a0 * b1; c10 += a1 * b0; c11 += a1 * b1;
            }
            Group.Barrier();
        }
        Sub(cv, cOff, ldc, mm, nn, i0 + ty, j0 + tx, c00);
        Sub(cv, cOff, ldc, mm, nn, i0 + ty, j0 + tx + G, c01);
        Sub(cv, cOff, ldc, mm, nn, i0 + ty + G, j0 + tx, c10);
        Sub(cv, cOff, ldc, mm, nn, i0 + ty + G, j0 + tx + G, c11);
    }

    private static void Sub(ArrayView<float> c, long off, int ld, int rows, int cols, int i, int j, float v)
    {
        if (i < rows && j < cols)
            c[off + (long)i * ld + j] -= v;
    }
}
