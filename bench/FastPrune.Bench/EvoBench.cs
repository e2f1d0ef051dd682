using System.Diagnostics;
using FastPrune.Evo;
using FastPrune.Evo.Operators;

namespace FastPrune.Bench;

/// <summary>
/// Search quality of NSGA-III variants against random search at the paper's budget (64 + 30·50), on ZDT1, DTLZ2 and a
/// pruning-like surrogate. Usage: <c>evo [seeds=10]</c>. Prints mean hypervolume and its ratio to random search (the
/// baseline, same run, same seeds), and on the surrogate the best error under the 0.5 and 0.3 MAC targets.
/// </summary>
public sealed class EvoBench : IBench
{
    /// <inheritdoc/>
    public string Name => "evo";

    /// <inheritdoc/>
    public string Summary => "NSGA-III variants vs random search: hypervolume ratio and best error under MAC targets";

    private sealed record Problem(string Name, GenomeSpace Space, Func<int[], double[]> F, double[] Reference, IReadOnlyList<int[]> Seeds);

    private sealed record Variant(string Name, Func<GenomeSpace, IReadOnlyList<int[]>, Xoshiro256StarStar, ISearch> Make);

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int seeds = args.Length > 0 ? int.Parse(args[0]) : 10;
        var problems = new[] { Zdt1(30), Dtlz2(10), Surrogate(false, false), Surrogate(true, false), Surrogate(true, true) };
        double[] targets = [0.5, 0.3];
        var variants = new Variant[]
        {
            new("random", (s, init, r) => new RandomSearch(s, 2, new SearchOptions { InitialGenomes = init }, r)),
            new("sbx+pm (default)", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init }, r)),
            new("sbx+pm p=12", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Partitions = 12 }, r)),
            new("uniform+resample", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Crossover = new UniformCrossover(), Mutation = new ResampleMutation() }, r)),
            new("uniform+pm", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Crossover = new UniformCrossover() }, r)),
            new("sbx+pm targets k=1", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Objective0Targets = targets }, r)),
            new("targets k=1 dirs=5", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Objective0Targets = targets, DirectionsPerTarget = 5 }, r)),
            new("targets k=1 dirs=10", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Objective0Targets = targets, DirectionsPerTarget = 10 }, r)),
            new("targets k=1 dirs=10 w.2", (s, init, r) => new Nsga3(s, 2, new Nsga3Options { InitialGenomes = init, Objective0Targets = targets, DirectionsPerTarget = 10, TargetSpread = 0.2 }, r)),
        };
        foreach (var p in problems)
        {
            Console.WriteLine($"{p.Name}  (seeds {seeds}, budget 1564, HV reference [{string.Join(", ", p.Reference)}])");
            Console.WriteLine($"  {"variant",-22} {"HV mean",9} {"HV sd",8} {"vs random",9} {"err@0.5",8} {"err@0.3",8} {"ms/run",7}");
            double randomHv = 0;
            foreach (var v in variants)
            {
                var hv = new List<double>();
                var e5 = new List<double>();
                var e3 = new List<double>();
                var sw = Stopwatch.StartNew();
                for (int seed = 0; seed < seeds; seed++)
                {
                    var search = v.Make(p.Space, p.Seeds, new Xoshiro256StarStar((ulong)seed));
                    while (!search.IsDone)
                    {
                        var batch = search.Ask();
                        search.Tell(batch.Select(g => new Evaluated(g, p.F(g))).ToList());
                    }
                    hv.Add(Pareto.Hypervolume2D(Pareto.Front(search.History).Select(e => e.Objectives), p.Reference));
                    e5.Add(BestUnder(search.History, 0.5));
                    e3.Add(BestUnder(search.History, 0.3));
                }
                double mean = hv.Average(), sd = Math.Sqrt(hv.Sum(h => (h - mean) * (h - mean)) / Math.Max(1, hv.Count - 1));
                if (v.Name == "random")
                    randomHv = mean;
                Console.WriteLine($"  {v.Name,-22} {mean,9:F4} {sd,8:F4} {mean / randomHv,9:F3} {e5.Average(),8:F4} {e3.Average(),8:F4} {sw.Elapsed.TotalMilliseconds / seeds,7:F0}");
            }
        }
        return 0;
    }

    private static double BestUnder(IEnumerable<Evaluated> h, double t) =>
        h.Where(e => e.Objectives[0] <= t).Select(e => e.Objectives[1]).DefaultIfEmpty(double.NaN).Min();

    private static GenomeSpace Unit(int n) => new(Enumerable.Range(0, n).Select(i => new IntGene($"x{i}", 0, 1000, 1)));

    private static Problem Zdt1(int n) => new($"ZDT1 n={n}", Unit(n), g =>
    {
        double x0 = g[0] / 1000.0, s = g.Skip(1).Sum() / 1000.0, q = 1 + 9 * s / (n - 1);
        return [x0, q * (1 - Math.Sqrt(x0 / q))];
    }, [1.1, 1.1], []);

    private static Problem Dtlz2(int n) => new($"DTLZ2 n={n}", Unit(n), g =>
    {
        double q = g.Skip(1).Sum(v => Math.Pow(v / 1000.0 - 0.5, 2)), t = g[0] / 1000.0 * Math.PI / 2;
        return [(1 + q) * Math.Cos(t), (1 + q) * Math.Sin(t)];
    }, [1.1, 1.1], []);

    /// <summary>
    /// A pruning-like problem: 20 layers of 64–512 channels, genes are kept channels (1/16 of the width per step);
    /// objective 0 is MACs / full MACs (a chain of convolutions, so neighbours multiply), objective 1 a separable
    /// error whose sensitivity per layer is drawn once from a fixed seed. With <paramref name="seeded"/>, the initial
    /// population holds the ten uniform keep ratios 0.1 … 1.0, as the pipeline will pass. With
    /// <paramref name="saturating"/>, error = 1 − 0.8·exp(−3·damage) like a real top-1 error that tends to 100 % as
    /// the network is gutted, so much of the normalised front is useless near-random models.
    /// </summary>
    private static Problem Surrogate(bool seeded, bool saturating)
    {
        const int layers = 20;
        var rng = new Xoshiro256StarStar(2024);
        var width = Enumerable.Range(0, layers).Select(i => 64 << Math.Min(3, i / 5)).ToArray();
        var hw = Enumerable.Range(0, layers).Select(i => 3136.0 / (1 << (2 * Math.Min(3, i / 5)))).ToArray();
        var sens = Enumerable.Range(0, layers).Select(_ => 0.02 + 0.2 * Math.Pow(rng.NextDouble(), 2)).ToArray();
        var power = Enumerable.Range(0, layers).Select(_ => 1 + 2 * rng.NextDouble()).ToArray();
        var space = new GenomeSpace(Enumerable.Range(0, layers).Select(i => new IntGene($"conv{i}", width[i] / 16, width[i], width[i] / 16)));
        double Macs(int[] c)
        {
            double m = 3.0 * c[0] * 9 * hw[0];
            for (int i = 1; i < layers; i++)
                m += (double)c[i - 1] * c[i] * 9 * hw[i];
            return m;
        }
        double full = Macs(width);
        double[] F(int[] c)
        {
            double damage = 0;
            for (int i = 0; i < layers; i++)
                damage += sens[i] * Math.Pow(1 - c[i] / (double)width[i], power[i]);
            return [Macs(c) / full, saturating ? 1 - 0.8 * Math.Exp(-3 * damage) : 0.2 + damage];
        }
        var seeds = seeded
            ? Enumerable.Range(1, 10).Select(r => space.Genes.Select(g => g.Snap(r / 10.0 * (g.Count - 1))).ToArray()).ToArray()
            : [];
        return new($"surrogate{(saturating ? " saturating" : "")}{(seeded ? ", uniform-ratio seeds" : "")}", space, F, [1.0, 1.5], seeds);
    }
}
