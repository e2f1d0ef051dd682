using FastPrune.Runtime;
using FastPrune.TensorRT;

namespace FastPrune;

public static partial class Pruner
{
    /// <summary>
    /// Throughput and latency of each model on one engine, the models timed in alternation (one batch each per round)
    /// so that drifting machine speed cannot favour one of them.
    /// </summary>
    /// <param name="models">ONNX model files; later ones are compared with the first.</param>
    /// <param name="settings">Engine, batch, runs.</param>
    /// <param name="cancel">Stops between runs.</param>
    /// <exception cref="FastPruneException">A value out of range (<see cref="FastPruneErrorKind.InvalidOptions"/>); an engine
    /// that cannot start here, an input that cannot take the batch, a model the engine rejects, out of memory
    /// (<see cref="FastPruneErrorKind.InvalidInput"/>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static BenchReport Benchmark(IReadOnlyList<string> models, BenchSettings settings, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        return Failures.Guard(() =>
        {
            if (models.Count == 0) throw Failures.Invalid("no model to benchmark");
            if (settings.Batch < 1) throw Failures.Invalid($"--batch must be at least 1, not {settings.Batch}");
            if (settings.Iterations < 1) throw Failures.Invalid($"--iters must be at least 1, not {settings.Iterations}");
            if (settings.Warmup < 0) throw Failures.Invalid($"--warmup must be 0 or more, not {settings.Warmup}");
            if (settings.Threads < 0) throw Failures.Invalid($"--threads must be 0 or more, not {settings.Threads}");
            var shapes = WorkspaceOptions.ParseShapes(settings.InputShapes);
            string? skipped = null;
            var engine = settings.Engine ?? EngineSelector.SelectAuto(out skipped);
            // An engine that cannot start fails before any measurement, with the runtime's reason in one line.
            if (engine == InferenceEngine.TensorRt && !TensorRtRuntime.TryLoad(out string trtReason))
                throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, trtReason);
            if (engine == InferenceEngine.OrtCuda && !OrtSessionFactory.TryCreateCuda(out string cudaReason))
                throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, cudaReason);
            if (engine == InferenceEngine.TensorRt && settings.Iterations > TrtEngine.MaxIterations)
                throw Failures.Invalid($"--iters must be at most {TrtEngine.MaxIterations} on trt, not {settings.Iterations}");
            var options = new BenchmarkOptions
            {
                Engine = engine,
                Batch = settings.Batch,
                Warmup = settings.Warmup,
                Iterations = settings.Iterations,
                Threads = settings.Threads,
                StrictFp32 = settings.StrictFp32,
                InputShapes = shapes,
            };
            return new BenchReport(engine, skipped, ThroughputBenchmark.RunInterleaved(models, options, cancel));
        });
    }
}
