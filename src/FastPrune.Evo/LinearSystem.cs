namespace FastPrune.Evo;

/// <summary>Gaussian elimination with partial pivoting for the small (M × M) hyperplane systems.</summary>
internal static class LinearSystem
{
    /// <summary>Solves A·x = b, or returns null when a pivot is (relatively) zero. A and b are not modified.</summary>
    public static double[]? Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        double scale = 0;
        foreach (double v in m)
            scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0)
            return null;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++)
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                    pivot = r;
            if (Math.Abs(m[pivot, c]) <= 1e-12 * scale)
                return null;
            if (pivot != c)
            {
                for (int k = 0; k < n; k++)
                    (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                if (f == 0)
                    continue;
                for (int k = c; k < n; k++)
                    m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = x[r];
            for (int k = r + 1; k < n; k++)
                s -= m[r, k] * x[k];
            x[r] = s / m[r, r];
        }
        return x;
    }
}
