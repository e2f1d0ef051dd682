using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FastPrune.Cluster;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using FastPrune.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPrune.Bench;

/// <summary>
/// Issue 13's dispatch overhead and data-path costs on one model: N subnets (uniform keeps spread over 0.5–0.9),
/// each evaluated in this process (the baseline) and, interleaved with it, through <c>OrleansEvaluator</c> on one
/// localhost worker silo hosted in this process but reached over Orleans' TCP gateway like a remote one. Reports the
/// coordinator's wall time per subnet against the worker's own four timings (dispatch overhead) and against the
/// in-process time; the worker's first call (opening its calibrated model: the duplicate feature collection) apart; and the
/// bytes a coordinator would ship to a worker that cannot see the files (model, the images used, or the Grams).
/// </summary>
public sealed class ClusterOverheadBench : IBench
{
    public string Name => "cluster-overhead";

    public string Summary => "per-subnet dispatch overhead of one Orleans worker against in-process evaluation: cluster-overhead MODEL DATA CALIB EVAL N [THREADS=0]";

    public int Run(string[] args)
    {
        if (args.Length < 5 || !int.TryParse(args[2], out int calib) || !int.TryParse(args[3], out int eval) || !int.TryParse(args[4], out int n))
        {
            Console.Error.WriteLine($"usage: {Summary}");
            return 2;
        }
        int threads = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0;
        var options = new PruneOptions
        {
            ModelPath = args[0], DataPath = args[1], Calib = calib, Eval = eval, Recon = ReconMode.Paper, Device = ComputeDevice.Cpu,
            Threads = threads, Seed = 0,
        };
        var sw = Stopwatch.StartNew();
        void Log(string m) => Console.Error.WriteLine($"[{sw.Elapsed.TotalSeconds,7:F1}s] {m}");
        using var calibrated = CalibratedModel.Open(options, new Progress<string>(Log));
        double openLocal = sw.Elapsed.TotalSeconds;
        var genomes = Enumerable.Range(0, n + 1).Select(i => Genome.Uniform(calibrated.Structure.Genes, 0.5 + 0.4 * i / Math.Max(1, n))).ToArray();

        int silo = Free(11411), gateway = Free(30411);
        using var worker = Start(Host.CreateApplicationBuilder(), b => b.UseOrleans(s =>
        {
            s.UseLocalhostClustering(silo, gateway);
            s.AddFastPruneWorker(new WorkerSettings(threads, ComputeTarget.Cpu));
        }));
        using var coordinator = Start(Host.CreateApplicationBuilder(), b => b.UseOrleansClient(c => c.UseLocalhostClustering(gateway)));
        var client = coordinator.Services.GetRequiredService<IClusterClient>();
        var dispatch = new OrleansEvaluator(client, JsonSerializer.Serialize(options), ReconMode.Paper, new LocalEvaluator(calibrated, ReconMode.Paper),
            new DispatchOptions(TimeSpan.FromHours(1), 0, TimeSpan.FromMinutes(1)));

        (double Wall, SubnetResult R) Remote(int[] g)
        {
            SubnetResult? r = null;
            var t = Stopwatch.StartNew();
            dispatch.EvaluateAll([g], (_, x) => r = x, CancellationToken.None);
            return (t.Elapsed.TotalSeconds, r!);
        }

        // The worker's first call opens its own calibrated model (collects the features again): apart from the per-subnet rows.
        var (first, _) = Remote(genomes[0]);
        Log($"worker calibrated opened on its first call: {first:F1}s (this process opened its own in {openLocal:F1}s)");
        Console.WriteLine("subnet\tkeep\tlocal_s\tcoordinator_s\tworker_s\toverhead_s\toverhead_vs_worker\tcoordinator/local\tsame_result");
        double sumLocal = 0, sumCoord = 0, sumWorker = 0;
        for (int i = 1; i <= n; i++)
        {
            // Interleaved, so that the shared machine's load drifts over both alike.
            var t = Stopwatch.StartNew();
            var local = calibrated.Evaluate(genomes[i], ReconMode.Paper);
            double tl = t.Elapsed.TotalSeconds;
            var (tc, r) = Remote(genomes[i]);
            double tw = r.Times.Surgery + r.Times.Recon + r.Times.Session + r.Times.Infer;
            sumLocal += tl; sumCoord += tc; sumWorker += tw;
            bool same = local.Accuracy == r.Accuracy && local.Macs == r.Macs;
            Console.WriteLine(string.Join('\t', i, F(0.5 + 0.4 * i / Math.Max(1, n)), F(tl), F(tc), F(tw), F(tc - tw), P((tc - tw) / tw), F(tc / tl), same ? "yes" : "NO"));
        }
        Console.WriteLine(string.Join('\t', "mean", "", F(sumLocal / n), F(sumCoord / n), F(sumWorker / n), F((sumCoord - sumWorker) / n),
            P((sumCoord - sumWorker) / sumWorker), F(sumCoord / sumLocal), ""));

        // What shipping instead of a shared file system would move, per worker and run.
        long model = new FileInfo(args[0]).Length;
        var files = Directory.Exists(args[1]) ? Directory.EnumerateFiles(args[1], "*", SearchOption.AllDirectories).Select(f => new FileInfo(f).Length).ToList() : [new FileInfo(args[1]).Length];
        double perImage = files.Sum() / (double)Math.Max(1, files.Count);
        long images = (long)(perImage * (calibrated.Counts.Calib + calibrated.Counts.Eval));
        // The memory plan counts 20 bytes per Gram entry while accumulating; the finished Grams are float64 (8 bytes).
        long grams = calibrated.Memory.GramBytes * 8 / 20;
        Console.WriteLine($"ship\tmodel_MB\t{model / 1e6:F1}\timages_used_MB\t{images / 1e6:F1}\tgrams_MB\t{grams / 1e6:F1}\t" +
            $"subnet_s\t{F(sumWorker / n)}\tworker_open_s\t{F(first)}");
        worker.StopAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static IHost Start(HostApplicationBuilder builder, Action<HostApplicationBuilder> configure)
    {
        builder.Logging.ClearProviders();
        configure(builder);
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    private static int Free(int from) => Enumerable.Range(from, 64).First(ClusterWorker.Free);

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private static string P(double v) => v.ToString("P1", CultureInfo.InvariantCulture);
}
