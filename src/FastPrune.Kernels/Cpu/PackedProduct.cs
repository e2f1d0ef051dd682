using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastPrune.Kernels.Cpu;

/// <summary>
/// C ±= AᵀB where A (k×m) and B (k×n) are row-major with leading dimensions: the one product shape behind the
/// Gram (XᵀX, XᵀY) and every blocked Cholesky update, so one micro-kernel carries all the CPU flops.
/// </summary>
/// <remarks>
/// Goto-style blocking. Per block of <see cref="Kc"/> rows both operands are packed into panels of
/// <see cref="Nr"/> columns:
/// <code>
///   panel q: [r=0: c0..c31][r=1: c0..c31]…   (kc·32 floats, zero-padded past the last column)
/// </code>
/// A B-panel (16 KB) stays in L1 while 8-column slivers of A stream past it. A slivers are read straight out of
/// A's own 32-wide panels (stride 32), so XᵀX packs X once. Threads split the C column panels.
/// </remarks>
internal static unsafe class PackedProduct
{
    internal const int Kc = 128;
    internal const int Nr = 32;
    internal const int Mr = 8;

    /// <summary>One C ±= AᵀB over the current row block, on packed operands.</summary>
    internal struct Term
    {
        public float* APack;
        public int M;
        public float* BPack;
        public int N;
        public float* C;
        public long Ldc;
        public bool Upper;
    }

    /// <summary>Packs rows [r0, r0+kc) of a k×cols row-major matrix into 32-wide panels at <paramref name="dest"/>.</summary>
    internal static void Pack(float* src, long ld, int r0, int kc, int cols, float* dest, int threads)
    {
        int panels = (cols + Nr - 1) / Nr;
        Parallel.For(0, panels, new ParallelOptions { MaxDegreeOfParallelism = threads }, q =>
        {
            float* d = dest + (long)q * kc * Nr;
            int c0 = q * Nr, w = Math.Min(Nr, cols - c0);
            for (int r = 0; r < kc; r++)
            {
                float* s = src + (r0 + r) * ld + c0;
                float* dr = d + r * Nr;
                if (w == Nr)
                {
                    Vector512.Store(Vector512.Load(s), dr);
                    Vector512.Store(Vector512.Load(s + 16), dr + 16);
                }
                else
                {
                    for (int t = 0; t < w; t++) dr[t] = s[t];
                    for (int t = w; t < Nr; t++) dr[t] = 0f;
                }
            }
        });
    }

    /// <summary>Bytes of one packed operand block.</summary>
    internal static long PackedFloats(int cols) => (long)((cols + Nr - 1) / Nr) * Nr * Kc;

    internal static float* Alloc(long floats) => (float*)NativeMemory.AlignedAlloc((nuint)(Math.Max(floats, 16) * sizeof(float)), 64);

    internal static void Free(float* p) => NativeMemory.AlignedFree(p);

    /// <summary>Runs the terms on the packed block of <paramref name="kc"/> rows; C ±= per <paramref name="subtract"/>.</summary>
    internal static void Run(ReadOnlySpan<Term> terms, int kc, bool subtract, int threads)
    {
        // Flatten (term, B panel) into one index space so both Gram products share one parallel loop.
        Span<int> starts = stackalloc int[terms.Length + 1];
        for (int t = 0; t < terms.Length; t++)
            starts[t + 1] = starts[t] + (terms[t].N + Nr - 1) / Nr;
        var local = terms.ToArray();
        var offsets = starts.ToArray();
        float sign = subtract ? -1f : 1f;
        Parallel.For(0, offsets[^1], new ParallelOptions { MaxDegreeOfParallelism = threads }, task =>
        {
            int t = 0;
            while (task >= offsets[t + 1]) t++;
            ref readonly Term term = ref local[t];
            int q = task - offsets[t];
            int j0 = q * Nr, nw = Math.Min(Nr, term.N - j0);
            float* pb = term.BPack + (long)q * kc * Nr;
            int mEnd = term.Upper ? Math.Min(term.M, j0 + Nr) : term.M;
            for (int i0 = 0; i0 < mEnd; i0 += Mr)
            {
                float* pa = term.APack + (long)(i0 / Nr) * kc * Nr + (i0 % Nr);
                Micro(pa, pb, kc, term.C + i0 * term.Ldc + j0, term.Ldc, Math.Min(Mr, term.M - i0), nw, sign);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro(float* pa, float* pb, int kc, float* c, long ldc, int mw, int nw, float sign)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        for (int r = 0; r < kc; r++, pa += Nr, pb += Nr)
        {
            var b0 = Vector512.Load(pb);
            var b1 = Vector512.Load(pb + 16);
            var a = Vector512.Create(pa[0]); c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(pa[1]); c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(pa[2]); c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(pa[3]); c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(pa[4]); c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(pa[5]); c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(pa[6]); c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(pa[7]); c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
        }

        var s = Vector512.Create(sign);
        if (mw == Mr && nw == Nr)
        {
            Store(c, c00, c01, s); Store(c + ldc, c10, c11, s); Store(c + 2 * ldc, c20, c21, s); Store(c + 3 * ldc, c30, c31, s);
            Store(c + 4 * ldc, c40, c41, s); Store(c + 5 * ldc, c50, c51, s); Store(c + 6 * ldc, c60, c61, s); Store(c + 7 * ldc, c70, c71, s);
            return;
        }

        // Edge tile: spill to a scratch tile and add only the valid part.
        float* tile = stackalloc float[Mr * Nr];
        Vector512.Store(c00, tile); Vector512.Store(c01, tile + 16); Vector512.Store(c10, tile + 32); Vector512.Store(c11, tile + 48);
        Vector512.Store(c20, tile + 64); Vector512.Store(c21, tile + 80); Vector512.Store(c30, tile + 96); Vector512.Store(c31, tile + 112);
        Vector512.Store(c40, tile + 128); Vector512.Store(c41, tile + 144); Vector512.Store(c50, tile + 160); Vector512.Store(c51, tile + 176);
        Vector512.Store(c60, tile + 192); Vector512.Store(c61, tile + 208); Vector512.Store(c70, tile + 224); Vector512.Store(c71, tile + 240);
        for (int i = 0; i < mw; i++)
            for (int j = 0; j < nw; j++)
                c[i * ldc + j] += sign * tile[i * Nr + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> lo, Vector512<float> hi, Vector512<float> sign)
    {
        Vector512.Store(Vector512.FusedMultiplyAdd(lo, sign, Vector512.Load(c)), c);
        Vector512.Store(Vector512.FusedMultiplyAdd(hi, sign, Vector512.Load(c + 16)), c + 16);
    }
}
