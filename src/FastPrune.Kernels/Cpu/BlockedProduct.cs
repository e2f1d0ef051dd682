namespace FastPrune.Kernels.Cpu;

/// <summary>
/// Drives <see cref="PackedProduct"/> over row blocks: CA ±= AᵀA (upper triangle) and/or CB ±= AᵀB, with A packed
/// once per block and shared by both products (the Gram needs XᵀX and XᵀY from the same X).
/// </summary>
internal static unsafe class BlockedProduct
{
    /// <summary>
    /// A is k×m (leading dimension <paramref name="lda"/>), or m×k when <paramref name="aTransposed"/>;
    /// B is k×n. Either target pointer may be null to skip that product.
    /// </summary>
    internal static void Run(
        float* a, long lda, int m, bool aTransposed,
        float* b, long ldb, int n, int k,
        float* cSyrk, long ldcSyrk, float* cCross, long ldcCross,
        bool subtract, int threads)
    {
        if (k <= 0 || m <= 0 || (cCross != null && n <= 0))
            return;
        // Small products are not worth waking the thread pool for.
        if ((double)m * k * (Math.Max(m, n)) < 2e6)
            threads = 1;
        float* packA = PackedProduct.Alloc(PackedProduct.PackedFloats(m));
        float* packB = cCross != null ? PackedProduct.Alloc(PackedProduct.PackedFloats(n)) : null;
        try
        {
            Span<PackedProduct.Term> terms = stackalloc PackedProduct.Term[2];
            for (int r0 = 0; r0 < k; r0 += PackedProduct.Kc)
            {
                int kc = Math.Min(PackedProduct.Kc, k - r0);
                if (aTransposed)
                    PackTransposed(a, lda, r0, kc, m, packA, threads);
                else
                    PackedProduct.Pack(a, lda, r0, kc, m, packA, threads);
                int count = 0;
                if (cSyrk != null)
                    terms[count++] = new PackedProduct.Term { APack = packA, M = m, BPack = packA, N = m, C = cSyrk, Ldc = ldcSyrk, Upper = true };
                if (cCross != null)
                {
                    PackedProduct.Pack(b, ldb, r0, kc, n, packB, threads);
                    terms[count++] = new PackedProduct.Term { APack = packA, M = m, BPack = packB, N = n, C = cCross, Ldc = ldcCross };
                }
                PackedProduct.Run(terms[..count], kc, subtract, threads);
            }
        }
        finally
        {
            PackedProduct.Free(packA);
            if (packB != null)
                PackedProduct.Free(packB);
        }
    }

    /// <summary>Packs columns [r0, r0+kc) of an m×k row-major matrix as if it were its k×m transpose.</summary>
    private static void PackTransposed(float* src, long ld, int r0, int kc, int m, float* dest, int threads)
    {
        int panels = (m + PackedProduct.Nr - 1) / PackedProduct.Nr;
        for (int q = 0; q < panels; q++)
        {
            float* d = dest + (long)q * kc * PackedProduct.Nr;
            int i0 = q * PackedProduct.Nr, w = Math.Min(PackedProduct.Nr, m - i0);
            for (int t = 0; t < PackedProduct.Nr; t++)
            {
                float* s = src + (i0 + t) * ld + r0;
                if (t < w)
                    for (int r = 0; r < kc; r++) d[r * PackedProduct.Nr + t] = s[r];
                else
                    for (int r = 0; r < kc; r++) d[r * PackedProduct.Nr + t] = 0f;
            }
        }
    }
}
