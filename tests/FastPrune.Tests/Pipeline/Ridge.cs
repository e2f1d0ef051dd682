namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The float64 reference of a layer's least-squares reconstruction: normal equations from explicit
/// rows, then ridge (G + λI) W = H by Cholesky, with the kernels' documented rule λ = α·mean(diag G)
/// over live columns and columns whose Gram diagonal is zero (inputs that never fire) left out with
/// zero weights.
/// </summary>
internal static class Ridge
{
    /// <summary>
    /// Solves for W ((cols + 1) × m, bias row last; cols × m without <paramref name="bias"/>) minimising ‖[X 1] W − Y‖² + λ‖W‖², where X is
    /// rows × cols and Y rows × m, both row-major.
    /// </summary>
    public static double[] Solve(double[] x, double[] y, int rows, int cols, int m, double alpha, bool bias = true)
    {
        var (g, h, n) = Normal(x, y, rows, cols, m, bias);
        return SolveNormal(g, h, n, m, alpha);
    }

    /// <summary>G = [X 1]ᵀ[X 1] and H = [X 1]ᵀY in float64 (without the ones column when <paramref name="bias"/> is false).</summary>
    public static (double[] G, double[] H, int N) Normal(double[] x, double[] y, int rows, int cols, int m, bool bias = true)
    {
        int n = cols + (bias ? 1 : 0);
        var g = new double[n * n];
        var h = new double[n * m];
        var row = new double[n];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(x, (long)r * cols, row, 0, cols);
            if (bias) row[cols] = 1;
            for (int i = 0; i < n; i++)
            {
                double xi = row[i];
                if (xi == 0) continue;
                for (int j = 0; j < n; j++) g[i * n + j] += xi * row[j];
                for (int j = 0; j < m; j++) h[i * m + j] += xi * y[(long)r * m + j];
            }
        }
        return (g, h, n);
    }

    /// <summary>‖(G + λI)W − H‖ / ‖H‖ over live rows, λ by the same rule as <see cref="SolveNormal"/>.</summary>
    public static double NormalResidual(double[] g, double[] h, int n, int m, double alpha, double[] w)
    {
        var live = Enumerable.Range(0, n).Where(i => g[i * n + i] > 0).ToArray();
        double lambda = alpha * live.Average(i => g[i * n + i]);
        double num = 0, den = 0;
        foreach (int i in live)
            for (int j = 0; j < m; j++)
            {
                double s = lambda * w[i * m + j] - h[i * m + j];
                foreach (int p in live) s += g[i * n + p] * w[p * m + j];
                num += s * s;
                den += h[i * m + j] * h[i * m + j];
            }
        return Math.Sqrt(num / den);
    }

    /// <summary>Solves (G + λI) W = H for the live columns of an n × n Gram.</summary>
    public static double[] SolveNormal(double[] g, double[] h, int n, int m, double alpha)
    {
        var live = Enumerable.Range(0, n).Where(i => g[i * n + i] > 0).ToArray();
        int k = live.Length;
        double lambda = alpha * live.Average(i => g[i * n + i]);
        var a = new double[k * k];
        var b = new double[k * m];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) a[i * k + j] = g[live[i] * n + live[j]];
            a[i * k + i] += lambda;
            for (int j = 0; j < m; j++) b[i * m + j] = h[live[i] * m + j];
        }
        Cholesky(a, k);
        // L Lᵀ W = B: forward then back substitution, all right-hand sides at once.
        for (int i = 0; i < k; i++)
            for (int j = 0; j < m; j++)
            {
                double s = b[i * m + j];
                for (int p = 0; p < i; p++) s -= a[i * k + p] * b[p * m + j];
                b[i * m + j] = s / a[i * k + i];
            }
        for (int i = k - 1; i >= 0; i--)
            for (int j = 0; j < m; j++)
            {
                double s = b[i * m + j];
                for (int p = i + 1; p < k; p++) s -= a[p * k + i] * b[p * m + j];
                b[i * m + j] = s / a[i * k + i];
            }
        var w = new double[n * m];
        for (int i = 0; i < k; i++) Array.Copy(b, i * m, w, live[i] * m, m);
        return w;
    }

    /// <summary>In-place lower Cholesky factor (the strict upper triangle is left as garbage).</summary>
    private static void Cholesky(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int p = 0; p < j; p++) d -= a[j * n + p] * a[j * n + p];
            if (!(d > 0)) throw new InvalidOperationException($"reference Gram not positive definite at column {j}");
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) s -= a[i * n + p] * a[j * n + p];
                a[i * n + j] = s / d;
            }
        }
    }

    /// <summary>
    /// The 2-norm condition number of G + λI over the live columns (λ by the rule of
    /// <see cref="SolveNormal"/>), from its eigenvalues by cyclic Jacobi rotations.
    /// </summary>
    public static double Condition(double[] g, int n, double alpha)
    {
        var live = Enumerable.Range(0, n).Where(i => g[i * n + i] > 0).ToArray();
        int k = live.Length;
        double lambda = alpha * live.Average(i => g[i * n + i]);
        var a = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) a[i, j] = g[live[i] * n + live[j]];
            a[i, i] += lambda;
        }
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < k; i++)
            {
                diag += a[i, i] * a[i, i];
                for (int j = i + 1; j < k; j++) off += a[i, j] * a[i, j];
            }
            if (off <= 1e-30 * diag) break;
            for (int p = 0; p < k; p++)
                for (int q = p + 1; q < k; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < k; r++)
                    {
                        double arp = a[r, p], arq = a[r, q];
                        a[r, p] = c * arp - s * arq;
                        a[r, q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < k; r++)
                    {
                        double apr = a[p, r], aqr = a[q, r];
                        a[p, r] = c * apr - s * aqr;
                        a[q, r] = s * apr + c * aqr;
                    }
                }
        }
        var eig = Enumerable.Range(0, k).Select(i => a[i, i]).ToArray();
        return eig.Max() / eig.Min();
    }

    /// <summary>‖[X 1](a − b)‖_F, the difference of two solutions on the rows (through the Gram: (a−b)ᵀG(a−b)).</summary>
    public static double OutputDistance(double[] g, int n, int m, double[] a, double[] b)
    {
        double sum = 0;
        for (int j = 0; j < m; j++)
            for (int i = 0; i < n; i++)
            {
                double di = a[i * m + j] - b[i * m + j];
                if (di == 0) continue;
                double s = 0;
                for (int p = 0; p < n; p++) s += g[i * n + p] * (a[p * m + j] - b[p * m + j]);
                sum += di * s;
            }
        return Math.Sqrt(Math.Max(sum, 0));
    }

    /// <summary>λ of the rule of <see cref="SolveNormal"/>.</summary>
    public static double Lambda(double[] g, int n, double alpha) =>
        alpha * Enumerable.Range(0, n).Where(i => g[i * n + i] > 0).Average(i => g[i * n + i]);

    /// <summary>Frobenius norm.</summary>
    public static double Norm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths {a.Length} and {b.Length} differ");
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++)
        {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.Sqrt(num / den);
    }
}
