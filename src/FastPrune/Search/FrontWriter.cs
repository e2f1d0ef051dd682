using System.Globalization;
using System.Text.Json;
using FastPrune.Evo;
using FastPrune.Graph;
using FastPrune.Pipeline;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>Writes front.json, front.png and one reconstructed model per target, each atomically.</summary>
internal static class FrontWriter
{
    public static RunResult Write(RunOptions o, CalibratedModel calibrated, List<HistoryRow> history, double original, LatencyMeter? meter,
        IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        double Cost(HistoryRow h) => h.Cost(o.Objective);
        var front = Pareto.Front(history.Select(h => new Evaluated(h.Genome, [Cost(h), 1 - h.Accuracy])))
            .Select(e => history.First(h => h.Genome.SequenceEqual(e.Genome))).ToList();
        var models = new List<WrittenModel>();
        var warnings = new List<string>(calibrated.Warnings);
        double? baselineTest = o.TestDataPath is null ? null : TestAccuracy(o, o.Prune.ModelPath);
        foreach (var t in o.Targets.OrderDescending())
        {
            // The search's ranking reconstruction is a proxy: the few best candidates under the target are
            // reconstructed the final way and the best of them (on the evaluation split) is written.
            var candidates = history.Where(h => Cost(h) <= t * original).OrderByDescending(h => h.Accuracy).ThenBy(Cost)
                .Take(Math.Max(1, o.PolishCandidates)).ToList();
            if (candidates.Count == 0)
            {
                warnings.Add($"no evaluated subnet meets the target {t:F2}");
                continue;
            }
            progress?.Report(new RunProgress(0, history.Count, o.Budget, 0, [], TimeSpan.Zero,
                $"reconstructing {candidates.Count} candidate(s) for target {t:F2} ({o.Prune.Recon.ToString().ToLowerInvariant()})"));
            var polished = candidates.Select(c => (Row: c, Result: calibrated.Evaluate(c.Genome, o.Prune.Recon, keepModel: true, cancel)))
                .OrderByDescending(c => c.Result.Accuracy).ToList();
            var path = Path.Combine(o.OutDir, $"pruned-{t.ToString("F2", CultureInfo.InvariantCulture)}.onnx");
            double? ratio = null;
            if (meter is null) polished[0].Result.Model!.Save(path);
            else
            {
                // The search's latencies are single measurements: the most accurate candidate whose latency, re-measured
                // now against the original, still meets the target is written; none is written when none does.
                (polished, ratio) = LatencyCheck.Verify(polished, path, t, meter, warnings, cancel);
                if (polished.Count == 0) continue;
            }
            var (best, r) = polished[0];
            double? test = o.TestDataPath is null ? null : TestAccuracy(o, path);
            models.Add(new WrittenModel(t, path, best.Genome, r.Macs, r.Params, best.Accuracy, r.Accuracy, test)
            {
                LatencyMs = best.LatencyMs, LatencyRatio = ratio, LatencyPredicted = ratio is not null && meter!.ChecksByPrediction,
            });
        }
        if (meter?.Table is not null && OrtNchwcBlock.Problem(o.BenchEngine ?? InferenceEngine.OrtCpu) is { } why)
            warnings.Add($"latency table: ONNX Runtime's blocked layout could not be asked ({why}); the table modelled no layout reorders or padding");
        var speed = Throughput(o, calibrated, models, warnings, cancel);
        if (speed is not null)
        {
            models = models.Select((m, i) => m with { Speedup = speed[i + 1].ImagesPerSecond / speed[0].ImagesPerSecond }).ToList();
            if (meter is null) warnings.AddRange(NotFaster(o, calibrated.OriginalCost.Macs, models, speed[0]));
        }
        // Read once, before the plot is drawn (the run's heavy parts are over by then), so that front.json and the
        // line `run` prints report the same peak.
        long peak = MemoryPlan.PeakResidentBytes();
        var json = new
        {
            model = o.Prune.ModelPath,
            objective = o.Objective.ToString().ToLowerInvariant(),
            original = new
            {
                macs = calibrated.OriginalCost.Macs, @params = calibrated.OriginalCost.Params, accuracy = calibrated.BaselineAccuracy, test_accuracy = baselineTest,
                img_per_s = speed?[0].ImagesPerSecond, latency_ms = meter?.Reference.OriginalMs, latency_spread = meter?.Reference.OriginalSpread,
            },
            latency = meter is null ? null : new { engine = meter.Reference.Engine, batch = meter.Reference.Batch, threads = meter.Reference.Threads,
                // table: measured_latency_ratio below is the table's prediction (speedup is measured either way)
                source = meter.Source.ToString().ToLowerInvariant(),
                table = meter.Table?.Use is { } use ? new { entries = use.Entries, timed = use.Timed, probe_seconds = use.ProbeSeconds, lookups = use.Lookups, hits = use.Hits } : null },
            bench = speed is null ? null : new { engine = speed[0].Engine.ToName(), batch = speed[0].Batch },
            agreement_only = calibrated.AgreementOnly,
            search = o.Search.ToString().ToLowerInvariant(),
            search_recon = o.SearchRecon.ToString().ToLowerInvariant(),
            final_recon = o.Prune.Recon.ToString().ToLowerInvariant(),
            evaluated = history.Count,
            front = front.Select(h => new { index = h.Index, genome = h.Genome, macs = h.Macs, @params = h.Params, accuracy = h.Accuracy, latency_ms = h.LatencyMs }),
            models = models.Select(m => new
            {
                target = m.Target, file = Path.GetFileName(m.Path), genome = m.Genome, macs = m.Macs, @params = m.Params,
                search_accuracy = m.SearchAccuracy, accuracy = m.FinalAccuracy, test_accuracy = m.TestAccuracy,
                latency_ms = m.LatencyMs, measured_latency_ratio = m.LatencyRatio,
                latency_ratio_source = m.LatencyRatio is null ? null : m.LatencyPredicted ? "predicted" : "measured",
                img_per_s = speed?[models.IndexOf(m) + 1].ImagesPerSecond,
                speedup = m.Speedup,
            }),
            warnings,
            peak_rss_bytes = peak,
            memory_limit_bytes = calibrated.Memory.Limit,
        };
        AtomicFile.WriteText(Path.Combine(o.OutDir, "front.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        FrontPlot.Write(Path.Combine(o.OutDir, "front.png"), history, front, calibrated, o, original,
            models.Select(m => (m, m.Speedup)).ToList());
        return new RunResult(o.OutDir, history.Count, front.Count, calibrated.BaselineAccuracy, baselineTest, models, warnings)
        {
            PeakResidentBytes = peak, LatencyTable = meter?.Table?.Use,
        };
    }

    /// <summary>Throughput of the original and every written model, measured together (interleaved) so the
    /// speedups are fair on a busy machine, with <c>fastprune bench</c>'s warm-up and timed runs (fewer gave speedups
    /// that moved by 2x between runs on a 2-core machine); null when not asked for or when the engine is unavailable.</summary>
    private static IReadOnlyList<FastPrune.Runtime.ThroughputResult>? Throughput(RunOptions o, CalibratedModel calibrated, List<WrittenModel> models,
        List<string> warnings, CancellationToken cancel)
    {
        if (o.BenchEngine is not { } engine || models.Count == 0) return null;
        // A model exported with a fixed batch (older exporters: 1) runs at that batch; the written models keep it.
        int batch = LatencyMeter.BatchFor(o, calibrated);
        if (batch != o.BenchBatch) warnings.Add($"throughput measured at batch {batch}, the batch the model is fixed to");
        try
        {
            var paths = new List<string> { o.Prune.ModelPath };
            paths.AddRange(models.Select(m => m.Path));
            return FastPrune.Runtime.ThroughputBenchmark.RunInterleaved(paths,
                new FastPrune.Runtime.BenchmarkOptions { Engine = engine, Batch = batch, Threads = o.Prune.Threads,
                    InputShapes = calibrated.Structure.Model.ShapeOptions.InputShapes }, cancel);
        }
        catch (FastPrune.Runtime.BenchmarkException e)
        {
            warnings.Add($"throughput not measured: {e.Message}");
            return null;
        }
    }

    /// <summary>A note for each model of a MACs or params run that the runtime does not run faster than the original: a
    /// smaller cost is no promise of speed (widths off the engine's alignment run on slower kernels), and a user who
    /// takes the file for a faster one should hear it measured otherwise.</summary>
    internal static IEnumerable<string> NotFaster(RunOptions o, long originalMacs, IEnumerable<WrittenModel> models, ThroughputResult original) =>
        models.Where(m => m.Speedup < 1).Select(m =>
            $"{Path.GetFileName(m.Path)} has {(double)m.Macs / originalMacs:P0} of the original's MACs but ran at {m.Speedup:F2}x its " +
            $"throughput on {original.Engine.ToName()} at batch {original.Batch}; --objective latency searches by measured latency" +
            (o.Round % SearchSettings.DefaultRound(o.Objective) != 0
                ? $", --round {SearchSettings.DefaultRound(o.Objective)} keeps widths the engines run fast" : ""));

    /// <summary>Accuracy on the test split of the model file at <paramref name="path"/>: the written models are evaluated
    /// from the files that were written, as a user would load them.</summary>
    private static double TestAccuracy(RunOptions o, string path) =>
        Evaluation.Evaluate(o.Prune with { ModelPath = path, DataPath = o.TestDataPath!, EvalDataPath = null, LabelsPath = null, Eval = int.MaxValue / 4 }).Accuracy;
}
