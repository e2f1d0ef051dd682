using System.Diagnostics;
using System.Globalization;
using FastPrune.Evo;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Zoo;
using FastPrune.Runtime;
using FastPrune.Search;

namespace FastPrune.Bench;

/// <summary>
/// Can a per-layer latency table stand in for timing? For zoo networks on ORT CPU: random genomes (each gene uniform
/// over its counts, as the search samples), each pruned (L1) and timed whole interleaved with the dense model, twice
/// (the second pass in reverse order); the table's predictions calibrated on uniform genomes. Prints Kendall's τ of
/// prediction vs measurement (and of MACs vs measurement, and measurement vs its repeat: the noise ceiling), and the
/// cost per subnet of timing whole vs the table (cold: timing its missing layers; warm: lookups only). The table's sums
/// are taken twice from the same entries: with the layout switches of ORT CPU's blocked convolutions
/// (<see cref="NchwcReorders"/>) and without them, to show what counting them buys.
/// <c>--aligned F</c> rounds the gene values of that fraction of the genomes to multiples of 8 (as <c>--round 8</c>
/// would), where the blocked layout matters.
/// <c>--models</c> takes zoo names or ONNX files (e.g. <c>samples/mobilenet.onnx</c>).
/// Usage: <c>latency-table [--models resnet50,mobilenetv1] [--genomes 50] [--aligned 0] [--batch 1] [--rounds 5] [--threads 0] [--seed 1]</c>.
/// </summary>
public sealed class LatencyTableBench : IBench
{
    /// <inheritdoc/>
    public string Name => "latency-table";

    /// <inheritdoc/>
    public string Summary => "Kendall's tau of per-layer-table predicted vs measured latency of random subnets; cost per subnet of each";

    private static readonly double[] CalibrationRatios = [0.9, 0.7, 0.5, 0.35];

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        var opt = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2) opt[args[i]] = args[i + 1];
        string[] models = opt.GetValueOrDefault("--models", "resnet50,mobilenetv1").Split(',');
        int count = int.Parse(opt.GetValueOrDefault("--genomes", "50"), CultureInfo.InvariantCulture);
        double aligned = double.Parse(opt.GetValueOrDefault("--aligned", "0"), CultureInfo.InvariantCulture);
        var options = new BenchmarkOptions
        {
            Engine = InferenceEngine.OrtCpu, Batch = int.Parse(opt.GetValueOrDefault("--batch", "1"), CultureInfo.InvariantCulture),
            Warmup = 2, Iterations = int.Parse(opt.GetValueOrDefault("--rounds", "5"), CultureInfo.InvariantCulture),
            Threads = int.Parse(opt.GetValueOrDefault("--threads", "0"), CultureInfo.InvariantCulture),
        };
        ulong seed = ulong.Parse(opt.GetValueOrDefault("--seed", "1"), CultureInfo.InvariantCulture);
        string folder = Path.Combine(Path.GetTempPath(), "fastprune-latency-table-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"ORT CPU, batch {options.Batch}, threads {options.Threads}, {options.Warmup} warm-up + {options.Iterations} timed runs per whole-model timing (interleaved with the dense model), layers {LatencyProbe.Warmup} + {LatencyProbe.Rounds}; {LatencyTableKey.ThisMachine()}");
            Console.WriteLine($"channel block of ORT CPU's blocked layout here: {OrtNchwcBlock.Of(options.Engine)} (0: none)");
            foreach (string net in models) RunNetwork(net, count, aligned, seed, options, folder);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void RunNetwork(string net, int count, double aligned, ulong seed, BenchmarkOptions options, string folder)
    {
        // A zoo name, or an ONNX file (a trained model: the bundled samples).
        var dense = net.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? OnnxModel.Load(net) : OnnxModel.FromProto(ZooModels.Build(net, seed: 0));
        string densePath = Path.Combine(folder, Path.GetFileNameWithoutExtension(net) + ".onnx");
        dense.Save(densePath);
        var structure = PrunableStructure.Analyze(dense);
        var rng = new Xoshiro256StarStar(seed);
        int roundedCount = (int)Math.Round(aligned * count);
        var genomes = Enumerable.Range(0, count).Select(k => structure.Genes.Select(g =>
        {
            int v = g.Min + g.Step * rng.NextInt(0, (g.Max - g.Min) / g.Step + 1);
            if (k >= roundedCount) return v;
            // The multiple of 8 nearest v inside the gene's range, on its grid (a gene whose range holds none keeps v).
            int r = Math.Clamp((int)Math.Round(v / 8.0) * 8, g.Min, g.Max);
            return r % 8 == 0 && (r - g.Min) % g.Step == 0 ? r : v;
        }).ToArray()).ToList();
        var calibration = CalibrationRatios.Select(r => Genome.Uniform(structure.Genes, r)).ToList();
        var subnets = genomes.Concat(calibration).Select(g => PrunedSubnet.Build(structure, g, SelectionMethod.L1, seed: 0).Model).ToList();

        var inputs = InputSpec.ForBatch(dense, options.Batch);
        using var denseRunner = ThroughputBenchmark.OpenRunner(densePath, inputs, options);
        var denseRuns = ThroughputBenchmark.TimeInterleaved([denseRunner], 3, 3 * options.Iterations, default)[0];
        double denseMs = LatencyStats.Quantile(denseRuns, 0.5);
        var probe = new LatencyProbe(options, folder);
        int block = OrtNchwcBlock.Of(options.Engine);
        var table = new LatencyTable(LatencyTableKey.Here(options.Engine, options.Batch, options.Threads, block));
        var predictor = new LatencyPredictor(table, options.Batch, l => probe.Time(l), block, l => probe.TimeMany(l));
        // Its own table and probe: the plain sums key convolutions by their unpadded widths, which would add entries (and
        // timings) to the table whose size and cost this bench reports.
        var plainProbe = new LatencyProbe(options, folder);
        var plain = new LatencyPredictor(new LatencyTable(table.Key), options.Batch, l => plainProbe.Time(l), block: 0, l => plainProbe.TimeMany(l));

        // Pass 1: each subnet timed whole, then looked up in the table (timing the layers it lacks): the interleaving
        // puts both under the same load.
        var measured = new (double Median, double Min)[2][];
        measured[0] = new (double, double)[subnets.Count];
        var sums = new double[subnets.Count];
        var plainSums = new double[subnets.Count];
        double wholeSeconds = 0, tableColdSeconds = 0;
        for (int i = 0; i < subnets.Count; i++)
        {
            var sw = Stopwatch.StartNew();
            measured[0][i] = Whole(subnets[i], denseRunner, denseMs, inputs, options, folder);
            wholeSeconds += sw.Elapsed.TotalSeconds;
            sw.Restart();
            sums[i] = predictor.TableSum(subnets[i]);
            tableColdSeconds += sw.Elapsed.TotalSeconds;
            plainSums[i] = plain.TableSum(subnets[i]);
        }
        // Pass 2, in reverse order: the repeat whose agreement with pass 1 bounds what any predictor can reach.
        measured[1] = new (double, double)[subnets.Count];
        for (int i = subnets.Count - 1; i >= 0; i--) measured[1][i] = Whole(subnets[i], denseRunner, denseMs, inputs, options, folder);
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < subnets.Count; i++) predictor.TableSum(subnets[i]);
        double tableWarmSeconds = warm.Elapsed.TotalSeconds;
        double denseSum = predictor.TableSum(dense), densePlainSum = plain.TableSum(dense);

        var inv = CultureInfo.InvariantCulture;
        var macs = subnets.Take(count).Select(s => (double)ModelCost.Compute(s).Macs).ToList();
        Console.WriteLine(string.Create(inv, $"{net}: dense {denseMs:F2} ms/batch (min {denseRuns.Min():F2}); {count} random subnets ({roundedCount} rounded to 8); table {table.Count} configurations"));
        foreach (var (stat, pick, denseValue) in new (string, Func<(double Median, double Min), double>, double)[] { ("median", m => m.Median, denseMs), ("min", m => m.Min, denseRuns.Min()) })
        {
            var m1 = measured[0].Take(count).Select(pick).ToList();
            var m2 = measured[1].Take(count).Select(pick).ToList();
            var mean = m1.Zip(m2, (a, b) => (a + b) / 2).ToList();
            foreach (var (name, s, d) in new[] { ("table", sums, denseSum), ("table without layout switches", plainSums, densePlainSum) })
            {
                // Calibration: the uniform genomes (the last ones) and the dense model, with their pass-1 timings.
                var fit = LatencyFit.Of(Enumerable.Range(count, calibration.Count).Select(i => (s[i], pick(measured[0][i]))).Append((d, denseValue)).ToList());
                var predicted = s.Take(count).Select(fit.Predict).ToList();
                double relErr = predicted.Zip(mean, (p, m) => Math.Abs(p - m) / m).Average();
                Console.WriteLine(string.Create(inv, $"  [{stat}] {name}: subnets {m1.Min():F2}–{m1.Max():F2} ms; fit {fit.Slope:F3}·sum + {fit.Intercept:F2} ms (dense predicted {fit.Predict(d):F2}); mean |table − measured| / measured = {relErr:P1}"));
                Console.WriteLine(string.Create(inv, $"  [{stat}] {name}: tau(pass 1) = {KendallTau.Of(predicted, m1):F3}   tau(pass 2) = {KendallTau.Of(predicted, m2):F3}   tau(mean of passes) = {KendallTau.Of(predicted, mean):F3}"));
            }
            Console.WriteLine(string.Create(inv, $"  [{stat}] tau(MACs, mean) = {KendallTau.Of(macs, mean):F3}   tau(pass 1, pass 2) = {KendallTau.Of(m1, m2):F3} (noise ceiling)"));
        }
        Console.WriteLine(string.Create(inv, $"  cost per subnet: whole-model timing {wholeSeconds / subnets.Count:F3} s; table cold {tableColdSeconds / subnets.Count:F3} s ({probe.Timed} layers timed, {probe.Seconds / Math.Max(1, probe.Timed) * 1000:F1} ms each); table warm {tableWarmSeconds / subnets.Count:F4} s"));
    }

    /// <summary>A subnet's milliseconds per batch, timed interleaved with the dense model: the median scaled to the dense
    /// reference (drift-corrected, what the search stores) and the minimum (the run least disturbed by other load).</summary>
    private static (double Median, double Min) Whole(OnnxModel subnet, IBatchRunner dense, double denseMs, IReadOnlyList<InputSpec> inputs, BenchmarkOptions options, string folder)
    {
        string path = Path.Combine(folder, "subnet.onnx");
        subnet.Save(path);
        using var runner = ThroughputBenchmark.OpenRunner(path, inputs, options);
        var ms = ThroughputBenchmark.TimeInterleaved([dense, runner], options.Warmup, options.Iterations, default);
        return (LatencyStats.Quantile(ms[1], 0.5) * denseMs / LatencyStats.Quantile(ms[0], 0.5), ms[1].Min());
    }
}
