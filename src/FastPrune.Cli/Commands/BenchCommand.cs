using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FastPrune.Runtime;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune bench MODEL [MODEL…] [--engine ort-cpu|ort-cuda|trt|auto] [--batch 128] [--warmup N] [--iters N]
/// [--threads N] [--strict-fp32] [--json]</c>: throughput and latency of each model, and the speedup of each
/// later model over the first, all models timed in alternation.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliIo io)
    {
        var models = new Argument<string[]>("models") { Description = "ONNX model files; later ones are compared with the first", Arity = ArgumentArity.OneOrMore };
        models.Validators.Add(r =>
        {
            foreach (string v in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (v.StartsWith('-') || v.Length == 0)
                {
                    r.AddError(v.Length == 0 ? "model '': the path is empty" : $"unknown option '{v}'");
                    return;
                }
            }
        });
        var engine = new Option<string>("--engine", "-e")
        {
            Description = "ort-cpu, ort-cuda, trt, or auto (trt, else ort-cuda, else ort-cpu)",
            DefaultValueFactory = _ => "auto",
        };
        var d = new BenchSettings();
        var batch = new Option<int>("--batch", "-b") { Description = "images per run", DefaultValueFactory = _ => d.Batch };
        var warmup = new Option<int>("--warmup") { Description = "untimed runs first", DefaultValueFactory = _ => d.Warmup };
        var iters = new Option<int>("--iters") { Description = "timed runs; img/s comes from their median", DefaultValueFactory = _ => d.Iterations };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0: one per physical core)", DefaultValueFactory = _ => d.Threads };
        var strict = new Option<bool>("--strict-fp32") { Description = "TensorRT: forbid TF32 tensor cores" };
        var json = new Option<bool>("--json") { Description = "one JSON object per model per line" };
        var shapes = InputShapeOption.Create();
        var cmd = new Command("bench", "Measure inference throughput (img/s) and latency per batch of one or more models.")
        {
            models, engine, batch, warmup, iters, threads, strict, json, shapes,
        };
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var name = pr.GetValue(engine)!;
            InferenceEngine? chosen = null;
            if (name != "auto")
            {
                chosen = InferenceEngineNames.TryParse(name, out var e) ? e
                    : throw new UsageException($"--engine must be one of {string.Join(", ", InferenceEngineNames.All)}, auto; not '{name}'");
            }
            var settings = new BenchSettings
            {
                Engine = chosen,
                Batch = pr.GetValue(batch),
                Warmup = pr.GetValue(warmup),
                Iterations = pr.GetValue(iters),
                Threads = pr.GetValue(threads),
                StrictFp32 = pr.GetValue(strict),
                InputShapes = pr.GetValue(shapes) ?? [],
            };
            return Print(io, Pruner.Benchmark(pr.GetValue(models)!, settings, io.Cancel), settings, pr.GetValue(json));
        }));
        return cmd;
    }

    private static int Print(CliIo io, BenchReport report, BenchSettings options, bool json)
    {
        var engine = report.Engine;
        if (report.AutoChoice is { } skipped)
        {
            io.Err.WriteLine(skipped.Length == 0
                ? $"fastprune: engine auto: running on {engine.ToName()}"
                : $"fastprune: engine auto: running on {engine.ToName()} ({skipped})");
        }
        if (!json)
        {
            string threads = engine == InferenceEngine.TensorRt ? (options.StrictFp32 ? ", strict FP32" : ", FP32 (TF32 allowed)")
                : options.Threads > 0 ? $", {options.Threads} threads" : "";
            io.Out.WriteLine($"engine {engine.ToName()}{threads}, batch {options.Batch}, warmup {options.Warmup}, timed runs {options.Iterations}\n"
                + $"{"model",-40} {"MACs/img",15} {"img/s",10} {"p50 ms",10} {"p99 ms",10} {"speedup",8}");
        }
        var results = report.Models;
        foreach (var r in results.Where(r => r.Batch != options.Batch))
            io.Err.WriteLine($"fastprune: note: {r.Model}: the model fixes its batch to {r.Batch}; timed at that batch (img/s compare across batches)");
        foreach (var r in results)
        {
            double speedup = r.ImagesPerSecond / results[0].ImagesPerSecond;
            if (json)
            {
                io.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = r.Model,
                    engine = r.Engine.ToName(),
                    batch = r.Batch,
                    img_per_s = r.ImagesPerSecond,
                    p50_ms = r.P50Ms,
                    p99_ms = r.P99Ms,
                    macs = r.Macs,
                    speedup,
                    warmup = options.Warmup,
                    iters = options.Iterations,
                }, JsonOptions.Compact));
            }
            else
            {
                string macs = r.Macs < 0 ? "?" : r.Macs.ToString("N0", CultureInfo.InvariantCulture);
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Shorten(r.Model),-40} {macs,15} {r.ImagesPerSecond,10:F1} {r.P50Ms,10:F2} {r.P99Ms,10:F2} {speedup,7:F2}x"));
            }
        }
        return ExitCodes.Ok;
    }

    private static string Shorten(string path) => path.Length <= 40 ? path : "…" + path[^39..];
}
