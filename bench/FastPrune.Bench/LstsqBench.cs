using System.Diagnostics;
using System.Globalization;
using FastPrune.Kernels;

namespace FastPrune.Bench;

/// <summary>
/// Gram accumulation and batched Cholesky solve of FastPrune.Kernels against OpenBLAS (ssyrk+sgemm, spotrf+spotrs)
/// on the same data in the same process. <c>lstsq [--json] [--backend auto|cpu|cuda|ilgpu-cpu]</c>.
/// </summary>
public sealed class LstsqBench : IBench
{
    private static readonly (int Cols, int Rhs)[] Sizes = { (256, 256), (1152, 128), (2304, 256), (4608, 512) };
    private static readonly (int Cols, int Rhs)[] EmulatorSizes = { (32, 8), (64, 16) };

    public string Name => "lstsq";

    public string Summary => "Gram + Cholesky solve GFLOP/s vs OpenBLAS ssyrk/sgemm/spotrf/spotrs (--json, --backend)";

    public int Run(string[] args)
    {
        bool json = args.Contains("--json");
        int at = Array.FindIndex(args, a => a is "--backend" or "--device");
        var device = at >= 0 && at + 1 < args.Length ? ReconEngine.ParseDevice(args[at + 1]) : ComputeDevice.Cpu;
        using var engine = ReconEngine.Create(device);
        bool blas = OpenBlas.TryLoad(out var reason);
        Console.Error.WriteLine($"lstsq: backend {engine.Name}; baseline {(blas ? "OpenBLAS " + OpenBlas.CoreName : "none: " + reason)}");
        bool emulator = engine.Device == ComputeDevice.IlgpuCpu;
        int rows = emulator ? 1000 : 15000;
        foreach (var (cols, rhs) in emulator ? EmulatorSizes : Sizes)
            Console.WriteLine(Measure(engine, cols, rhs, rows, blas, json));
        return 0;
    }

    private static string Measure(IReconEngine engine, int cols, int rhs, int rows, bool blas, bool json)
    {
        var x = RandomArray(rows * cols, 1, 0.1);
        var y = RandomArray(rows * rhs, 2, 0);
        double gramFlops = (double)rows * cols * (cols + 1) + 2.0 * rows * cols * rhs;
        double solveFlops = (double)cols * cols * cols / 3 + 2.0 * cols * cols * rhs;

        // Best of three runs: the first also pays JIT / kernel compilation, and the 2-core machine is shared.
        double gramSeconds = double.MaxValue, solveSeconds = double.MaxValue;
        LstsqResult? result = null;
        LstsqProblem? problem = null;
        for (int rep = 0; rep < 3; rep++)
        {
            using var acc = engine.CreateAccumulator(cols, rhs);
            var sw = Stopwatch.StartNew();
            acc.Add(x, y, rows);
            acc.Flush();
            gramSeconds = Math.Min(gramSeconds, sw.Elapsed.TotalSeconds);
            problem = acc.Gather(Enumerable.Range(0, cols).ToArray(), Enumerable.Range(0, rhs).ToArray(), $"{cols}x{rhs}");
            sw.Restart();
            result = engine.SolveBatch(new[] { problem })[0];
            solveSeconds = Math.Min(solveSeconds, sw.Elapsed.TotalSeconds);
            if (rep == 2)
                problem = LstsqProblem.FromMatrices(acc.GramMatrix.ToArray(), acc.CrossMatrix.ToArray(), cols, rhs);
        }
        var g = new double[cols * cols];
        var h = new double[cols * rhs];
        problem!.CopySubBlocks(g, h);
        double residual = Residual(g, result!.Lambda, result.Weights, h, cols, rhs);

        var fields = new List<(string, object)>
        {
            ("backend", engine.Name), ("cols", cols), ("rows", rows), ("rhs", rhs),
            ("gram_gflops", gramFlops / gramSeconds / 1e9),
            ("solve_gflops", solveFlops / solveSeconds / 1e9),
            ("rel_residual", residual),
        };
        if (blas)
        {
            var (refGram, refSolve) = MeasureOpenBlas(x, y, rows, cols, rhs, g, h, result.Lambda);
            fields.Add(("ref_gram_gflops", gramFlops / refGram / 1e9));
            fields.Add(("ref_solve_gflops", solveFlops / refSolve / 1e9));
            fields.Add(("gram_ratio", refGram / gramSeconds));
            fields.Add(("solve_ratio", refSolve / solveSeconds));
        }
        return json
            ? "{" + string.Join(", ", fields.Select(f => $"\"{f.Item1}\": {Format(f.Item2)}")) + "}"
            : string.Join("  ", fields.Select(f => $"{f.Item1}={Format(f.Item2)}"));
    }

    private static (double Gram, double Solve) MeasureOpenBlas(float[] x, float[] y, int rows, int cols, int rhs, double[] g, double[] h, double lambda)
    {
        var gf = new float[cols * cols];
        var hf = new float[cols * rhs];
        double gram = double.MaxValue, solve = double.MaxValue;
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            OpenBlas.Gram(x, y, rows, cols, rhs, gf, hf);
            gram = Math.Min(gram, sw.Elapsed.TotalSeconds);

            // Same system as ours, float32; copies and the transposition of B stay outside the timed region.
            var a = new float[cols * cols];
            for (int i = 0; i < a.Length; i++) a[i] = (float)g[i];
            for (int i = 0; i < cols; i++) a[i * cols + i] += (float)lambda;
            var b = new float[cols * rhs];
            for (int i = 0; i < cols; i++)
                for (int j = 0; j < rhs; j++) b[j * cols + i] = (float)h[i * rhs + j];
            sw.Restart();
            int info = OpenBlas.Solve(a, b, cols, rhs);
            solve = Math.Min(solve, sw.Elapsed.TotalSeconds);
            if (info != 0)
                throw new InvalidOperationException($"OpenBLAS spotrf/spotrs info {info} at {cols}x{rhs}");
        }
        return (gram, solve);
    }

    private static double Residual(double[] g, double lambda, float[] w, double[] h, int n, int m)
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
            part[i] = r.Sum(v => v * v);
        });
        return Math.Sqrt(part.Sum() / h.Sum(v => v * v));
    }

    private static float[] RandomArray(int length, int seed, double offset)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1 + offset);
        return v;
    }

    private static string Format(object value) => value switch
    {
        string s => $"\"{s}\"",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
