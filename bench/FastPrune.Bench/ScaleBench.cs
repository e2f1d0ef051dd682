using System.Diagnostics;
using System.Globalization;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune.Bench;

/// <summary>
/// ImageNet-scale costs of one calibrated model: feature collection, one subnet in paper / corrective mode, and the exact
/// polish, against one evaluation pass of the same subnet over as many images as there are calibration images
/// (the evaluation split is made that large unless EVAL says otherwise; polish/eval_pass is then scaled to CALIB images; a last evaluation without reconstruction gives that pass's CPU
/// time), with the process's peak resident memory after collection
/// and at the end. Run one model per process, so that the peak belongs to it. With EVAL_DATA (a trained model's test
/// images) the evaluation split comes from there, so the accuracies printed (dense, each mode, and unreconstructed)
/// are test accuracies.
/// </summary>
public sealed class ScaleBench : IBench
{
    public string Name => "scale";

    public string Summary => "collection / paper / corrective / exact times and peak memory: scale MODEL DATA CALIB [KEEP=0.7] [MEMORY_LIMIT_GB=0] [EVAL=CALIB] [MODES=paper,corrective,exact] [EVAL_DATA]";

    public int Run(string[] args)
    {
        if (args.Length < 3 || !int.TryParse(args[2], out int calib))
        {
            Console.Error.WriteLine($"usage: {Summary}");
            return 2;
        }
        double keep = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.7;
        double limit = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 0;
        int eval = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : calib;
        // Modes left out are reported as NaN; the last, unreconstructed evaluation always runs (it is the baseline).
        var modes = (args.Length > 6 ? args[6] : "paper,corrective,exact").Split(',').Select(m => Enum.Parse<ReconMode>(m, ignoreCase: true)).ToHashSet();
        // EVAL_DATA (a test set, e.g. a trained model's held-out images): accuracies are then test accuracies.
        string? evalData = args.Length > 7 ? args[7] : null;
        var options = new PruneOptions
        {
            // Corrective and exact need the original outputs stored; a paper-only run leaves them out, as `run --recon paper` would.
            ModelPath = args[0], DataPath = args[1], EvalDataPath = evalData, Calib = calib, Eval = eval, Device = ComputeDevice.Cpu,
            Recon = modes.Contains(ReconMode.Exact) || modes.Contains(ReconMode.Corrective) ? ReconMode.Exact : ReconMode.Paper,
            MemoryLimitBytes = (long)(limit * 1e9),
        };
        var sw = Stopwatch.StartNew();
        // Every 15 s: resident memory against the managed heap, to tell managed garbage from native (ONNX Runtime) growth.
        using var monitor = new Timer(_ =>
        {
            var gc = GC.GetGCMemoryInfo();
            Console.Error.WriteLine($"[{sw.Elapsed.TotalSeconds,7:F1}s] rss {Status("VmRSS:") / 1e9:F2} GB, managed heap {gc.HeapSizeBytes / 1e9:F2} GB " +
                $"(committed {gc.TotalCommittedBytes / 1e9:F2}, fragmented {gc.FragmentedBytes / 1e9:F2})");
        }, null, 15000, 15000);
        using var calibrated = CalibratedModel.Open(options, new Progress<string>(m => Console.Error.WriteLine($"[{sw.Elapsed.TotalSeconds,7:F1}s] {m}")));
        long peakOpen = MemoryPlan.PeakResidentBytes();
        var genome = Genome.Uniform(calibrated.Structure.Genes, keep);
        Console.Error.WriteLine($"[{sw.Elapsed.TotalSeconds,7:F1}s] collected in {calibrated.CollectSeconds:F1}s; batch {calibrated.Memory.Batch}, " +
            $"resident estimate {calibrated.Memory.Resident / 1e9:F2} GB, frontier budget {calibrated.Memory.FrontierBudget / 1e9:F2} GB, peak so far {peakOpen / 1e9:F2} GB");
        // CPU seconds beside wall seconds: on a machine shared with other jobs the wall clock mostly measures them.
        var rows = new List<(string Mode, SubnetResult R, double Cpu)>();
        foreach (var mode in new[] { ReconMode.Paper, ReconMode.Corrective, ReconMode.Exact, ReconMode.None })
        {
            if (mode != ReconMode.None && !modes.Contains(mode))
            {
                rows.Add((mode.ToString().ToLowerInvariant(), Skipped(genome), double.NaN));
                continue;
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            ReconProfile.Reset();
            var r = calibrated.Evaluate(genome, mode);
            foreach (var (part, t) in ReconProfile.Snapshot().OrderByDescending(p => p.Value.Cpu))
                Console.Error.WriteLine($"    {mode} {part}: cpu {t.Cpu:F1}s, wall {t.Wall:F1}s, {t.Count}x");
            rows.Add((mode.ToString().ToLowerInvariant(), r, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
            Console.Error.WriteLine($"[{sw.Elapsed.TotalSeconds,7:F1}s] {mode}: recon {r.Times.Recon:F1}s, eval {r.Times.Infer:F1}s, " +
                $"cpu {rows[^1].Cpu:F1}s, accuracy {r.Accuracy:P2}, peak so far {MemoryPlan.PeakResidentBytes() / 1e9:F2} GB");
        }
        long peak = MemoryPlan.PeakResidentBytes();
        var paper = rows[0].R;
        double Total(SubnetResult r) => r.Times.Surgery + r.Times.Recon + r.Times.Session + r.Times.Infer;
        var exact = rows[2].R;
        Console.WriteLine("model\tcalib\tkeep\tbatch\tcollect_s\tpeak_after_collect_GB\tpeak_GB\tpaper_subnet_s\tcorrective_subnet_s\tcorrective/paper\t" +
            "exact_polish_s\teval_pass_s\tpolish/eval_pass\tcpu: paper_subnet_s\tcorrective_subnet_s\tcorrective/paper\texact_polish_s\teval_pass_s\tpolish/eval_pass\t" +
            "acc_dense\tacc_paper\tacc_corrective\tacc_exact\tacc_none\teval_images");
        // One evaluation pass over CALIB images, scaled from the EVAL images actually evaluated.
        double scale = (double)calib / calibrated.Counts.Eval;
        double polishCpu = rows[2].Cpu - rows[3].Cpu, evalCpu = rows[3].Cpu * scale;
        Console.WriteLine(string.Join('\t', Path.GetFileName(args[0]), calib, keep, calibrated.Memory.Batch, F(calibrated.CollectSeconds), F(peakOpen / 1e9, "F2"), F(peak / 1e9, "F2"),
            F(Total(paper)), F(Total(rows[1].R)), F(Total(rows[1].R) / Total(paper), "F2"), F(exact.Times.Recon), F(exact.Times.Infer * scale),
            F(exact.Times.Recon / (exact.Times.Infer * scale), "F2"), F(rows[0].Cpu), F(rows[1].Cpu), F(rows[1].Cpu / rows[0].Cpu, "F2"), F(polishCpu), F(evalCpu),
            F(polishCpu / evalCpu, "F2"), F(calibrated.BaselineAccuracy, "F4"), F(paper.Accuracy, "F4"), F(rows[1].R.Accuracy, "F4"), F(exact.Accuracy, "F4"),
            F(rows[3].R.Accuracy, "F4"), calibrated.Counts.Eval));
        return 0;
    }

    private static long Status(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return 1024 * long.Parse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        return 0;
    }

    private static SubnetResult Skipped(int[] genome) =>
        new(genome, 0, 0, double.NaN, new SubnetTimings(double.NaN, double.NaN, double.NaN, double.NaN), null, 0);

    private static string F(double v, string format = "F1") => v.ToString(format, CultureInfo.InvariantCulture);
}
