namespace FastPrune.Kernels.Tests;

/// <summary>Float64 references and random data for the kernel tests.</summary>
internal static class Reference
{
    /// <summary>Uniform values in [lo, hi) that are never exactly zero.</summary>
    internal static float[] Random(int length, int seed, float lo = -1f, float hi = 1f)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++)
        {
            float x;
            do x = (float)(lo + (hi - lo) * rng.NextDouble()); while (x == 0f);
            v[i] = x;
        }
        return v;
    }

    /// <summary>XᵀY in float64; X rows×cols (optionally with a ones column), Y rows×rhs.</summary>
    internal static double[] AtB(float[] x, int rows, int cols, float[] y, int rhs, bool appendOnes = false)
    {
        int size = cols + (appendOnes ? 1 : 0);
        var c = new double[size * rhs];
        Parallel.For(0, size, i =>
        {
            for (int r = 0; r < rows; r++)
            {
                double a = i < cols ? x[r * cols + i] : 1.0;
                for (int j = 0; j < rhs; j++)
                    c[i * rhs + j] += a * y[r * rhs + j];
            }
        });
        return c;
    }

    /// <summary>X with a ones column appended, as a plain matrix.</summary>
    internal static float[] WithOnes(float[] x, int rows, int cols)
    {
        var o = new float[rows * (cols + 1)];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(x, r * cols, o, r * (cols + 1), cols);
            o[r * (cols + 1) + cols] = 1f;
        }
        return o;
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    internal static double RelError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++)
        {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.Sqrt(num / den);
    }

    /// <summary>‖(G + λI)W − H‖ / ‖H‖ in float64 for G n×n, W and H n×m.</summary>
    internal static double Residual(ReadOnlySpan<double> g, double lambda, float[] w, ReadOnlySpan<double> h, int n, int m)
    {
        double den = 0;
        foreach (var v in h) den += v * v;
        return Math.Sqrt(ResidualSquared(g.ToArray(), lambda, w, h.ToArray(), n, m) / den);
    }

    private static double ResidualSquared(double[] g, double lambda, float[] w, double[] h, int n, int m)
    {
        var part = new double[n];
        Parallel.For(0, n, i =>
        {
            var r = new double[m];
            for (int j = 0; j < m; j++) r[j] = -h[(long)i * m + j];
            for (int t = 0; t < n; t++)
            {
                double a = g[(long)i * n + t] + (i == t ? lambda : 0);
                for (int j = 0; j < m; j++) r[j] += a * w[(long)t * m + j];
            }
            double s = 0;
            for (int j = 0; j < m; j++) s += r[j] * r[j];
            part[i] = s;
        });
        return part.Sum();
    }

    /// <summary>True when every element is finite (poisoned outputs are NaN).</summary>
    internal static bool AllFinite(ReadOnlySpan<float> v)
    {
        foreach (var x in v)
            if (!float.IsFinite(x)) return false;
        return true;
    }
}
