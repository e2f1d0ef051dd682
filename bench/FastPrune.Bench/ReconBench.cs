using System.Globalization;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;

namespace FastPrune.Bench;

/// <summary>
/// Issue 5's table: on a sample, uniform keep-ratios 0.9..0.3 with L1 and random selection, the
/// accuracy of no / paper / corrective / exact reconstruction, MACs, and per-subnet time by stage.
/// </summary>
public sealed class ReconBench : IBench
{
    public string Name => "recon";

    public string Summary => "reconstruction modes vs keep-ratio on a sample: recon MODEL [--calib N] [--eval N] [--exact] [--ratios 0.9,0.7]";

    public int Run(string[] args)
    {
        string model = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "samples/resnet.onnx";
        int calib = Arg(args, "--calib", 1000), eval = Arg(args, "--eval", 1000), passes = Arg(args, "--passes", 0), images = Arg(args, "--corrective-images", 256);
        bool exact = args.Contains("--exact");
        var ratios = (ArgS(args, "--ratios") ?? "0.9,0.8,0.7,0.6,0.5,0.4,0.3").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var selects = (ArgS(args, "--select") ?? "l1,random").Split(',');
        foreach (var sel in selects)
        {
            var options = new PruneOptions
            {
                ModelPath = model,
                DataPath = "samples/data/calib-images-idx3-ubyte",
                EvalDataPath = "samples/data/test-images-idx3-ubyte",
                Calib = calib, Eval = eval, Recon = exact ? ReconMode.Exact : ReconMode.Corrective, CorrectivePasses = passes, CorrectiveImages = images,
                Select = sel == "random" ? SelectionMethod.Random : SelectionMethod.L1,
            };
            using var s = CalibratedModel.Open(options);
            Console.WriteLine($"# {model} select={sel} calib={s.Counts.Calib} eval={s.Counts.Eval} unpruned={s.BaselineAccuracy:F4} collect={s.CollectSeconds:F2}s engine={s.ReconDevice}");
            Console.WriteLine("ratio\tmacs%\tnone\tpaper\tcorrective" + (exact ? "\texact" : "") + "\tt_surgery\tt_recon_paper\tt_recon_corr\tt_session\tt_infer");
            foreach (var r in ratios)
            {
                var genome = Genome.Uniform(s.Structure.Genes, r);
                var none = s.Evaluate(genome, ReconMode.None);
                var paper = s.Evaluate(genome, ReconMode.Paper);
                var corr = s.Evaluate(genome, ReconMode.Corrective);
                var ex = exact ? s.Evaluate(genome, ReconMode.Exact) : null;
                Console.WriteLine(string.Join('\t', r.ToString("F2", CultureInfo.InvariantCulture),
                    (100.0 * none.Macs / s.OriginalCost.Macs).ToString("F1", CultureInfo.InvariantCulture),
                    none.Accuracy.ToString("F4", CultureInfo.InvariantCulture), paper.Accuracy.ToString("F4", CultureInfo.InvariantCulture),
                    corr.Accuracy.ToString("F4", CultureInfo.InvariantCulture)) + (ex is null ? "" : "\t" + ex.Accuracy.ToString("F4", CultureInfo.InvariantCulture))
                    + $"\t{paper.Times.Surgery:F3}\t{paper.Times.Recon:F3}\t{corr.Times.Recon:F3}\t{paper.Times.Session:F3}\t{paper.Times.Infer:F3}");
            }
        }
        return 0;
    }

    private static int Arg(string[] a, string name, int fallback) =>
        Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? int.Parse(a[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string? ArgS(string[] a, string name) => Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? a[i + 1] : null;
}
