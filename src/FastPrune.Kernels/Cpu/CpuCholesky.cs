namespace FastPrune.Kernels.Cpu;

/// <summary>
/// Blocked right-looking Cholesky A = UᵀU (U upper, row-major, float32, in place) and the two triangular solves
/// with many right-hand sides. Every O(n³) and O(n²m) update goes through <see cref="BlockedProduct"/>.
/// </summary>
internal static unsafe class CpuCholesky
{
    private const int Nb = PackedProduct.Kc;
    private const int ColumnChunk = 512;

    /// <summary>Factors the upper triangle of <paramref name="a"/> (n×n); false on a non-positive or non-finite pivot.</summary>
    internal static bool Factor(float* a, int n, int threads)
    {
        for (int k0 = 0; k0 < n; k0 += Nb)
        {
            int b = Math.Min(Nb, n - k0), rest = n - k0 - b;
            float* diag = a + (long)k0 * n + k0;
            if (!FactorDiagonal(diag, n, b))
                return false;
            if (rest == 0)
                break;
            // U12 = U11⁻ᵀ A12, then A22 -= U12ᵀ U12 (upper half only).
            ForwardRows(diag, n, b, diag + b, n, rest, threads);
            BlockedProduct.Run(diag + b, n, rest, false, null, 0, 0, b,
                a + (long)(k0 + b) * n + k0 + b, n, null, 0, subtract: true, threads);
        }
        return true;
    }

    /// <summary>Overwrites the n×m matrix <paramref name="rhs"/> with (UᵀU)⁻¹·rhs.</summary>
    internal static void Solve(float* u, int n, float* rhs, int m, int threads)
    {
        // Forward: Uᵀ Z = B, one row block at a time, then push the block's effect onto the rows below.
        for (int k0 = 0; k0 < n; k0 += Nb)
        {
            int b = Math.Min(Nb, n - k0), rest = n - k0 - b;
            float* diag = u + (long)k0 * n + k0;
            ForwardRows(diag, n, b, rhs + (long)k0 * m, m, m, threads);
            if (rest > 0)
                BlockedProduct.Run(diag + b, n, rest, false, rhs + (long)k0 * m, m, m, b,
                    null, 0, rhs + (long)(k0 + b) * m, m, subtract: true, threads);
        }

        // Backward: U W = Z from the bottom; the block row U[k0.., k0+b..] enters as a transposed operand.
        for (int k0 = (n - 1) / Nb * Nb; k0 >= 0; k0 -= Nb)
        {
            int b = Math.Min(Nb, n - k0), rest = n - k0 - b;
            float* diag = u + (long)k0 * n + k0;
            if (rest > 0)
                BlockedProduct.Run(diag + b, n, b, true, rhs + (long)(k0 + b) * m, m, m, rest,
                    null, 0, rhs + (long)k0 * m, m, subtract: true, threads);
            BackwardRows(diag, n, b, rhs + (long)k0 * m, m);
        }
    }

    private static bool FactorDiagonal(float* d, int ld, int b)
    {
        for (int r = 0; r < b; r++)
        {
            float* row = d + (long)r * ld;
            float pivot = row[r];
            if (!(pivot > 0f) || !float.IsFinite(pivot))
                return false;
            float s = MathF.Sqrt(pivot);
            row[r] = s;
            VectorOps.Scale(row + r + 1, 1f / s, b - r - 1);
            for (int i = r + 1; i < b; i++)
                VectorOps.Axpy(row + i, -row[i], d + (long)i * ld + i, b - i);
        }
        return true;
    }

    /// <summary>X ← U11⁻ᵀ X for a b-row block X of width <paramref name="cols"/>; column chunks are independent.</summary>
    private static void ForwardRows(float* u11, int ldu, int b, float* x, long ldx, int cols, int threads)
    {
        int chunks = (cols + ColumnChunk - 1) / ColumnChunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks > 1 ? threads : 1 }, c =>
        {
            int c0 = c * ColumnChunk, w = Math.Min(ColumnChunk, cols - c0);
            for (int r = 0; r < b; r++)
            {
                float* row = x + r * ldx + c0;
                for (int t = 0; t < r; t++)
                    VectorOps.Axpy(x + t * ldx + c0, -u11[(long)t * ldu + r], row, w);
                VectorOps.Scale(row, 1f / u11[(long)r * ldu + r], w);
            }
        });
    }

    private static void BackwardRows(float* u11, int ldu, int b, float* x, int m)
    {
        for (int r = b - 1; r >= 0; r--)
        {
            float* row = x + (long)r * m;
            for (int t = r + 1; t < b; t++)
                VectorOps.Axpy(x + (long)t * m, -u11[(long)r * ldu + t], row, m);
            VectorOps.Scale(row, 1f / u11[(long)r * ldu + r], m);
        }
    }
}
