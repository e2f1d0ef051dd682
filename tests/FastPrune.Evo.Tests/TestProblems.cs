namespace FastPrune.Evo.Tests;

/// <summary>Standard benchmark problems with continuous variables discretised as genes 0..1000 step 1 mapped to [0, 1].</summary>
internal static class TestProblems
{
    public const int Resolution = 1000;

    public static GenomeSpace Space(int variables) =>
        new(Enumerable.Range(0, variables).Select(i => new IntGene($"x{i}", 0, Resolution, 1)));

    /// <summary>ZDT1 (Zitzler, Deb, Thiele 2000): front f1 = 1 − √f0 for f0 ∈ [0, 1], reached when x1.. = 0.</summary>
    public static double[] Zdt1(int[] genome)
    {
        double x0 = genome[0] / (double)Resolution, sum = 0;
        for (int i = 1; i < genome.Length; i++)
            sum += genome[i] / (double)Resolution;
        double g = 1 + 9 * sum / (genome.Length - 1);
        return [x0, g * (1 - Math.Sqrt(x0 / g))];
    }

    /// <summary>DTLZ2 with 2 objectives (Deb et al. 2002): front is the quarter circle f0² + f1² = 1, reached when x1.. = ½.</summary>
    public static double[] Dtlz2(int[] genome)
    {
        double g = 0;
        for (int i = 1; i < genome.Length; i++)
            g += Math.Pow(genome[i] / (double)Resolution - 0.5, 2);
        double t = genome[0] / (double)Resolution * Math.PI / 2;
        return [(1 + g) * Math.Cos(t), (1 + g) * Math.Sin(t)];
    }

    /// <summary>Hypervolume of the true front with reference (1.1, 1.1): 1.21 − ∫(1 − √x)dx = 1.21 − 1/3.</summary>
    public const double Zdt1TrueHv = 1.21 - 1.0 / 3;

    /// <summary>Hypervolume of the true front with reference (1.1, 1.1): 1.21 − π/4.</summary>
    public const double Dtlz2TrueHv = 1.21 - Math.PI / 4;

    /// <summary>Runs a search to completion, evaluating each asked genome with <paramref name="f"/>.</summary>
    public static List<Evaluated> Run(ISearch search, Func<int[], double[]> f)
    {
        while (!search.IsDone)
        {
            var batch = search.Ask();
            if (batch.Count == 0)
                break;
            search.Tell(batch.Select(g => new Evaluated(g, f(g))).ToList());
        }
        return search.History.ToList();
    }

    /// <summary>Inverted generational distance: mean distance from points of the true front to the nearest found point.</summary>
    public static double Igd(IEnumerable<double[]> found, IReadOnlyList<double[]> trueFront)
    {
        var f = found.ToArray();
        return trueFront.Average(t => f.Min(p => Math.Sqrt(Math.Pow(p[0] - t[0], 2) + Math.Pow(p[1] - t[1], 2))));
    }

    public static double[][] Zdt1TrueFront(int n) =>
        Enumerable.Range(0, n).Select(i => i / (double)(n - 1)).Select(x => new[] { x, 1 - Math.Sqrt(x) }).ToArray();

    public static double[][] Dtlz2TrueFront(int n) =>
        Enumerable.Range(0, n).Select(i => i / (double)(n - 1) * Math.PI / 2).Select(t => new[] { Math.Cos(t), Math.Sin(t) }).ToArray();
}
