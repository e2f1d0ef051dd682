using System.Diagnostics;
using System.Globalization;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Zoo;
using FastPrune.Runtime;

namespace FastPrune.Bench;

/// <summary>
/// The paper's Table 6 on this machine: dense zoo networks against uniformly pruned ones at ≈50% MACs (and ≈30%
/// for ResNet50), throughput measured in the same process, speedup = pruned img/s ÷ dense img/s.
/// Usage: <c>table6 [--engine ort-cpu|ort-cuda|trt|auto] [--batch N] [--warmup N] [--iters N] [--threads N]
/// [--round N] [--models a,b,c] [--keep DIR] [--explain]</c>. <c>--explain</c> prints, per variant, how many
/// convolutions ONNX Runtime CPU runs in its blocked (NCHWc) layout and how many layout reorders it inserts.
/// </summary>
public sealed class Table6Bench : IBench
{
    // A30, TensorRT FP32, batch 128 (the paper's Table 6): dense and ≈50%-MACs img/s.
    private static readonly Dictionary<string, (double Dense, double Half)> Paper = new()
    {
        ["resnet50"] = (3753, 5147),
        ["mobilenetv1"] = (9176, 12296),
        ["deit_base"] = (777, 1086),
    };

    /// <inheritdoc/>
    public string Name => "table6";

    /// <inheritdoc/>
    public string Summary => "Table 6: img/s of dense vs uniformly pruned (≈50% / ≈30% MACs) zoo networks; speedup vs dense, same run";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        var a = Table6Args.Parse(args);
        var engine = a.Engine == "auto" ? EngineSelector.SelectAuto(out string skipped) : Parse(a.Engine, out skipped);
        if (skipped.Length > 0) Console.Error.WriteLine($"table6: running on {engine.ToName()} ({skipped})");
        string folder = a.Keep ?? Path.Combine(Path.GetTempPath(), "fastprune-table6-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        try
        {
            Console.WriteLine($"engine {engine.ToName()}, warmup {a.Warmup}, timed runs {a.Iters}, threads {(a.Threads == 0 ? "ORT default" : a.Threads)}, genes rounded to multiples of {a.Round}, L1 selection, {Environment.ProcessorCount} logical CPUs");
            Console.WriteLine();
            Console.WriteLine("| network | variant | keep ratio | MACs (G) | MACs vs dense | batch | img/s | p50 ms | p99 ms | speedup | paper img/s (A30 TRT FP32 b128) | paper speedup |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (string net in a.Models)
                RunNetwork(net, engine, a, folder);
            return 0;
        }
        finally
        {
            if (a.Keep is null) Directory.Delete(folder, recursive: true);
        }
    }

    private static void RunNetwork(string net, InferenceEngine engine, Table6Args a, string folder)
    {
        int batch = a.Batch ?? (engine != InferenceEngine.OrtCpu ? 128 : net == "deit_base" ? 8 : 16);
        var sw = Stopwatch.StartNew();
        var dense = OnnxModel.FromProto(ZooModels.Build(net, seed: 0));
        string densePath = Path.Combine(folder, $"{net}.onnx");
        dense.Save(densePath);
        var structure = PrunableStructure.Analyze(dense, step: a.Round);
        long denseMacs = ModelCost.Compute(dense).Macs;
        var variants = new List<(string Label, double Ratio, string Path, long Macs)> { ("dense", 1.0, densePath, denseMacs) };
        double[] targets = net == "resnet50" ? [0.5, 0.3] : [0.5];
        foreach (double target in targets)
        {
            var (ratio, pruned) = UniformPruning.ClosestToMacs(structure, target * denseMacs);
            string path = Path.Combine(folder, $"{net}-{target * 100:F0}.onnx");
            pruned.Save(path);
            variants.Add(($"uniform ≈{target * 100:F0}% MACs", ratio, path, ModelCost.Compute(pruned).Macs));
        }
        Console.Error.WriteLine($"table6: {net}: models built and pruned in {sw.Elapsed.TotalSeconds:F1} s");
        if (a.Explain && engine == InferenceEngine.OrtCpu)
        {
            foreach (var v in variants)
                Console.Error.WriteLine($"table6: {net} {v.Label}: ORT CPU runs {OrtLayoutReport.Describe(v.Path)}");
        }

        var options = new BenchmarkOptions { Engine = engine, Batch = batch, Warmup = a.Warmup, Iterations = a.Iters, Threads = a.Threads };
        // Dense and pruned run in alternation, one batch each per round: this machine's speed drifts with other
        // load, and alternation makes the drift hit every variant alike, so the speedup stays fair.
        var results = ThroughputBenchmark.RunInterleaved(variants.Select(v => v.Path).ToList(), options);
        double denseImgPerS = results[0].ImagesPerSecond;
        foreach (var (v, r) in variants.Zip(results))
        {
            (double paperImg, string paperSpeed) = (v.Label, Paper.TryGetValue(net, out var p)) switch
            {
                ("dense", true) => (p.Dense, "1.00×"),
                (_, true) when v.Label.Contains("50", StringComparison.Ordinal) => (p.Half, $"{p.Half / p.Dense:F2}×"),
                _ => (double.NaN, "—"),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {net} | {v.Label} | {v.Ratio:F3} | {v.Macs / 1e9:F3} | {100.0 * v.Macs / denseMacs:F1}% | {batch} | {r.ImagesPerSecond:F1} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.ImagesPerSecond / denseImgPerS:F2}× | {(double.IsNaN(paperImg) ? "—" : paperImg.ToString("F0", CultureInfo.InvariantCulture))} | {paperSpeed} |"));
        }
    }

    private static InferenceEngine Parse(string name, out string skipped)
    {
        skipped = string.Empty;
        return InferenceEngineNames.TryParse(name, out var e) ? e : throw new ArgumentException($"--engine must be one of {string.Join(", ", InferenceEngineNames.All)}, auto; not '{name}'");
    }
}
