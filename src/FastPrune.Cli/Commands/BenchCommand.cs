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
        var batch = new Option<int>("--batch", "-b") { Description = "images per run", DefaultValueFactory = _ => 128 };
        var warmup = new Option<int>("--warmup") { Description = "untimed runs first", DefaultValueFactory = _ => 5 };
        var iters = new Option<int>("--iters") { Description = "timed runs; img/s comes from their median", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0: one per physical core)", DefaultValueFactory = _ => 0 };
        var strict = new Option<bool>("--strict-fp32") { Description = "TensorRT: forbid TF32 tensor cores" };
        var json = new Option<bool>("--json") { Description = "one JSON object per model per line" };
        var shapes = InputShapeOption.Create();
        var cmd = new Command("bench", "Measure inference throughput (img/s) and latency per batch of one or more models.")
        {
            models, engine, batch, warmup, iters, threads, strict, json, shapes,
        };
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var options = new BenchmarkOptions
            {
                Batch = pr.GetValue(batch),
                Warmup = pr.GetValue(warmup),
                Iterations = pr.GetValue(iters),
                Threads = pr.GetValue(threads),
                StrictFp32 = pr.GetValue(strict),
                InputShapes = InputShapeOption.Parse(pr, shapes),
            };
            try
            {
                return Run(io, pr.GetValue(models)!, pr.GetValue(engine)!, options, pr.GetValue(json));
            }
            catch (BenchmarkException e)
            {
                // Every bench failure (engine unavailable, input that cannot take the batch, out of memory,
                // model rejected by the engine) is about the model or data on this machine: exit 3.
                io.Err.WriteLine($"fastprune: {e.Message}");
                if (pr.GetValue(io.Verbose)) io.Err.WriteLine(e.ToString());
                return ExitCodes.InvalidInput;
            }
        }));
        return cmd;
    }

    private static int Run(CliIo io, string[] models, string engineName, BenchmarkOptions options, bool json)
    {
        if (options.Batch < 1) throw new UsageException($"--batch must be at least 1, not {options.Batch}");
        if (options.Iterations < 1) throw new UsageException($"--iters must be at least 1, not {options.Iterations}");
        if (options.Warmup < 0) throw new UsageException($"--warmup must be 0 or more, not {options.Warmup}");
        if (options.Threads < 0) throw new UsageException($"--threads must be 0 or more, not {options.Threads}");

        InferenceEngine engine;
        if (engineName == "auto")
        {
            engine = EngineSelector.SelectAuto(out string skipped);
            io.Err.WriteLine(skipped.Length == 0
                ? $"fastprune: engine auto: running on {engine.ToName()}"
                : $"fastprune: engine auto: running on {engine.ToName()} ({skipped})");
        }
        else if (!InferenceEngineNames.TryParse(engineName, out engine))
        {
            throw new UsageException($"--engine must be one of {string.Join(", ", InferenceEngineNames.All)}, auto; not '{engineName}'");
        }
        options = options with { Engine = engine };
        // An engine that cannot start fails before any output, with the runtime's reason in one line.
        if (engine == InferenceEngine.TensorRt && !TensorRT.TensorRtRuntime.TryLoad(out string trtReason))
            throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, trtReason);
        if (engine == InferenceEngine.OrtCuda && !OrtSessionFactory.TryCreateCuda(out string cudaReason))
            throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, cudaReason);
        if (engine == InferenceEngine.TensorRt && options.Iterations > TensorRT.TrtEngine.MaxIterations)
            throw new UsageException($"--iters must be at most {TensorRT.TrtEngine.MaxIterations} on trt, not {options.Iterations}");

        string header = "";
        if (!json)
        {
            string threads = engine == InferenceEngine.TensorRt ? (options.StrictFp32 ? ", strict FP32" : ", FP32 (TF32 allowed)")
                : options.Threads > 0 ? $", {options.Threads} threads" : "";
            header = $"engine {engine.ToName()}{threads}, batch {options.Batch}, warmup {options.Warmup}, timed runs {options.Iterations}\n"
                + $"{"model",-40} {"MACs/img",15} {"img/s",10} {"p50 ms",10} {"p99 ms",10} {"speedup",8}";
        }
        // Models run in turn, one batch each per round, so drifting machine speed cannot favour one of them.
        var results = ThroughputBenchmark.RunInterleaved(models, options, io.Cancel);
        if (header.Length > 0) io.Out.WriteLine(header);
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
