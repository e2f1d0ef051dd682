using System.Globalization;
using System.Text.Json;
using FastPrune.Evo;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Search;

namespace FastPrune.Bench;

/// <summary>
/// Issue 6's table: per sample and seed, NSGA-III against random search at the same budget
/// (hypervolume of the fronts in (MACs / original, error), reference point (1, 1)), and the best
/// model at ≤ 50 % and ≤ 30 % MACs against uniform pruning with the same reconstruction, measured
/// on the test split the search never saw.
/// </summary>
public sealed class SearchBench : IBench
{
    public string Name => "search";

    public string Summary => "NSGA-III vs random vs uniform on the samples: search [--models resnet,vit] [--seeds 3] [--budget 100]";

    public int Run(string[] args)
    {
        var models = (Opt(args, "--models") ?? "resnet,mobilenet,vit").Split(',');
        int seeds = int.Parse(Opt(args, "--seeds") ?? "3", CultureInfo.InvariantCulture);
        int budget = int.Parse(Opt(args, "--budget") ?? "100", CultureInfo.InvariantCulture);
        var recon = Enum.Parse<ReconMode>(Opt(args, "--recon") ?? "Corrective", ignoreCase: true);
        var searchRecon = Enum.Parse<ReconMode>(Opt(args, "--search-recon") ?? "Paper", ignoreCase: true);
        Console.WriteLine("model\tseed\thv_nsga3\thv_random\tbest50_nsga3\tbest50_random\tuniform50\tbest30_nsga3\tbest30_random\tuniform30\tunpruned_test\tsubnets_per_min");
        foreach (var m in models)
            for (int seed = 0; seed < seeds; seed++)
            {
                var row = new List<string> { m, seed.ToString(CultureInfo.InvariantCulture) };
                var results = new Dictionary<SearchKind, (RunResult R, double Hv, double Rate)>();
                foreach (var kind in new[] { SearchKind.Nsga3, SearchKind.Random })
                {
                    var dir = Path.Combine(Path.GetTempPath(), $"fastprune-searchbench-{m}-{seed}-{kind}-{Guid.NewGuid():N}");
                    var o = Options(m, seed, budget, dir, kind, recon, searchRecon);
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    var r = SearchRun.Execute(o);
                    double rate = budget / sw.Elapsed.TotalMinutes;
                    var front = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "front.json")));
                    double orig = front.RootElement.GetProperty("original").GetProperty("macs").GetDouble();
                    var pts = front.RootElement.GetProperty("front").EnumerateArray()
                        .Select(p => new[] { p.GetProperty("macs").GetDouble() / orig, 1 - p.GetProperty("accuracy").GetDouble() }).ToList();
                    results[kind] = (r, Pareto.Hypervolume2D(pts, [1.0, 1.0]), rate);
                    Directory.Delete(dir, recursive: true);
                }
                var (u50, u30, unpruned) = Uniform(m, seed, recon);
                string Acc(RunResult r, double t) => r.Models.FirstOrDefault(x => x.Target == t)?.TestAccuracy is { } a ? F(a) : "-";
                row.Add(F(results[SearchKind.Nsga3].Hv));
                row.Add(F(results[SearchKind.Random].Hv));
                row.Add(Acc(results[SearchKind.Nsga3].R, 0.5));
                row.Add(Acc(results[SearchKind.Random].R, 0.5));
                row.Add(F(u50));
                row.Add(Acc(results[SearchKind.Nsga3].R, 0.3));
                row.Add(Acc(results[SearchKind.Random].R, 0.3));
                row.Add(F(u30));
                row.Add(F(unpruned));
                row.Add(results[SearchKind.Nsga3].Rate.ToString("F1", CultureInfo.InvariantCulture));
                Console.WriteLine(string.Join('\t', row));
            }
        return 0;
    }

    private static RunOptions Options(string model, int seed, int budget, string dir, SearchKind kind, ReconMode recon, ReconMode searchRecon) => new()
    {
        Prune = SampleOptions(model, seed, recon),
        OutDir = dir,
        Budget = budget,
        Search = kind,
        SearchRecon = searchRecon,
        TestDataPath = "samples/data/test-images-idx3-ubyte",
    };

    internal static PruneOptions SampleOptions(string model, int seed, ReconMode recon) => new()
    {
        ModelPath = $"samples/{model}.onnx",
        DataPath = "samples/data/calib-images-idx3-ubyte",
        Calib = 1000,
        Eval = 2000,
        Seed = seed,
        Recon = recon,
        Select = SelectionMethod.L1,
    };

    /// <summary>Uniform genomes just under 50 % and 30 % MACs, reconstructed the same way, on the test split.</summary>
    private static (double U50, double U30, double Unpruned) Uniform(string model, int seed, ReconMode recon)
    {
        var o = SampleOptions(model, seed, recon) with { EvalDataPath = "samples/data/test-images-idx3-ubyte", Eval = 2000 };
        using var s = CalibratedModel.Open(o);
        double At(double target) =>
            s.Evaluate(Genome.Uniform(s.Structure.Genes, UniformPruning.RatioUnder(s.Structure, target * s.OriginalCost.Macs)), recon).Accuracy;
        return (At(0.5), At(0.3), s.BaselineAccuracy);
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    private static string? Opt(string[] a, string name) => Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? a[i + 1] : null;
}
