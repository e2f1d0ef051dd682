using System.Diagnostics;
using System.Text;
using FastPrune.Evo;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;

namespace FastPrune.Search;

/// <summary>
/// The paper's Algorithm 1 end to end: a search over genomes (NSGA-III or random) whose objectives
/// are cost and the error of each reconstructed subnet, with a history that is both the output and
/// the checkpoint, and one written model per MACs target.
/// </summary>
internal static partial class SearchRun
{
    /// <summary>Runs (or resumes) a search.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; the history written so far is a valid checkpoint.</exception>
    /// <exception cref="CheckpointException">The folder cannot be resumed.</exception>
    /// <exception cref="RunFolderException">The folder is not empty without resume, or another run works in it.</exception>
    public static RunResult Execute(RunOptions o, IProgress<RunProgress>? progress = null, CancellationToken cancel = default,
        EvaluatorFactory? evaluators = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Budget < 1) throw new ArgumentOutOfRangeException(nameof(o), o.Budget, "budget must be at least 1");
        OnnxModel.CheckFile(o.Prune.ModelPath);
        using var folder = RunFolder.Open(o);
        var checkpoint = Checkpoint.For(o, o.Prune.ModelPath);
        var history = new List<HistoryRow>();
        if (o.Resume)
        {
            var saved = Checkpoint.Load(o.OutDir);
            if (saved.ModelSha256 != checkpoint.ModelSha256)
                throw new CheckpointException($"{o.OutDir}: the checkpoint belongs to another model");
            if (saved.Options != checkpoint.Options)
                throw new CheckpointException($"{o.OutDir}: the checkpoint was made with other options ({saved.Options})");
            history.AddRange(ReadHistory(Path.Combine(o.OutDir, "history.csv")));
        }
        else
        {
            checkpoint.Save(o.OutDir);
            folder.Created(Path.Combine(o.OutDir, Checkpoint.FileName));
        }

        Report(progress, 0, history.Count, o, null, "opening the model and collecting its features");
        // The original layer outputs are kept for the final reconstruction's mode or the search's, whichever needs them.
        var openOptions = o.Prune with { KeepLayerOutputs = o.Prune.KeepsLayerOutputs || o.SearchRecon is ReconMode.Corrective or ReconMode.Exact };
        using var calibrated = CalibratedModel.Open(openOptions, new InlineProgress<string>(m => Report(progress, 0, history.Count, o, null, m)), cancel);
        // --round N: every pruned width a multiple of N (heads and conv groups step by the units that make one)
        var space = new GenomeSpace(calibrated.Structure.RoundedGenes(o.Round).Select(g => new IntGene(g.Name, g.Min, g.Max, g.Step)));
        bool latency = o.Objective == CostObjective.Latency;
        if (latency && history.FirstOrDefault(h => h.LatencyMs is null) is { } unmeasured)
            throw new CheckpointException($"{Path.Combine(o.OutDir, "history.csv")}: row {unmeasured.Index} has no latency_ms");
        using var meter = latency ? LatencyMeter.Open(o, calibrated, folder, cancel) : null;
        // Latency is measured here on each subnet's model, which workers do not send back: such a search runs in process.
        var evaluator = (latency ? null : evaluators?.Invoke(openOptions, o.SearchRecon, calibrated)) ?? new LocalEvaluator(calibrated, o.SearchRecon, latency);
        double original = meter?.Reference.OriginalMs ?? o.Objective.Counted(calibrated.OriginalCost);
        var search = CreateSearch(o, space, calibrated, original);
        var replay = history.Select(h => new Evaluated(h.Genome, [h.Cost(o.Objective), 1 - h.Accuracy])).ToList();
        try
        {
            search.Replay(replay);
        }
        catch (InvalidOperationException e)
        {
            // A history the seeded search would not have produced (edited, or a genome off this model's grid) is corrupt, not a bug.
            throw new CheckpointException($"{Path.Combine(o.OutDir, "history.csv")}: cannot be resumed ({e.Message})");
        }

        var sw = Stopwatch.StartNew();
        int fresh = 0;
        // Keyed by the genome's values (Evo's comparer), as Evo's own archive is.
        var known = history.ToDictionary(h => h.Genome, GenomeComparer.Instance);
        while (!search.IsDone && history.Count < o.Budget)
        {
            var batch = search.Ask();
            if (batch.Count == 0) break;
            // The genomes not seen before (once each), evaluated wherever the evaluator runs them, recorded in batch order.
            var unseen = batch.Distinct(GenomeComparer.Instance).Where(g => !known.ContainsKey(g)).ToList();
            int generation = search.Generation + (search.History.Count == 0 ? 0 : 1);
            // The generation's new layer configurations are timed together, a probe model per 32, before the subnets are
            // predicted one by one (the shapes, all a table needs, do not depend on which channels are kept).
            meter?.Table?.Prefetch(unseen.Select(g => PrunedSubnet.Build(calibrated.Structure, g, SelectionMethod.L1, seed: 0).Model));
            evaluator.EvaluateAll(unseen, (i, r) =>
            {
                // Each subnet is timed whole; the genome cache (known) already keeps a genome from being timed twice.
                var l = meter?.Measure(r.Model!, cancel);
                var row = new HistoryRow(history.Count, generation, unseen[i], r.Macs, r.Params, r.Accuracy,
                    r.Times.Surgery, r.Times.Recon, r.Times.Session, r.Times.Infer, l?.Ms, l?.Spread, meter?.Table is not null);
                history.Add(row);
                known[unseen[i]] = row;
                WriteHistory(o.OutDir, history);
                folder.Keep();
                fresh++;
                Report(progress, generation, history.Count, o, BestAt(history, o, original), null,
                    fresh / Math.Max(sw.Elapsed.TotalSeconds, 1e-9));
            }, cancel);
            var told = batch.Select(g => new Evaluated(g, [known[g].Cost(o.Objective), 1 - known[g].Accuracy])).ToList();
            search.Tell(told);
        }
        folder.Keep();
        return FrontWriter.Write(o, calibrated, history, original, meter, progress, cancel);
    }

    /// <summary>The options a run folder's checkpoint stores (absolute paths, <see cref="RunOptions.Resume"/> set and
    /// <see cref="RunOptions.OutDir"/> = <paramref name="dir"/>), or null for a checkpoint written before they were stored.</summary>
    /// <exception cref="CheckpointException">The folder has no readable checkpoint.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static RunOptions? StoredOptions(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such run folder to resume");
        return Checkpoint.Load(dir).StoredOptions(dir) is { } o ? o with { Resume = true, OutDir = dir } : null;
    }

    private static ISearch CreateSearch(RunOptions o, GenomeSpace space, CalibratedModel calibrated, double original)
    {
        var rng = new Xoshiro256StarStar((ulong)o.Prune.Seed);
        // Evo needs a population of at least 2 and no more seeds than the population (the target seeds come first).
        int population = Math.Max(2, Math.Min(o.Population, o.Budget));
        var initial = UniformSeeds(space, calibrated, o).Take(population).ToList();
        int generations = Math.Max(1, (int)Math.Ceiling((o.Budget - o.Population) / (double)Math.Max(1, o.Offspring)));
        if (o.Search == SearchKind.Random)
            return new RandomSearch(space, 2, new SearchOptions { PopulationSize = population, OffspringPerGeneration = o.Offspring,
                Generations = generations, Budget = o.Budget, InitialGenomes = initial }, rng);
        return new Nsga3(space, 2, new Nsga3Options
        {
            PopulationSize = population,
            OffspringPerGeneration = o.Offspring,
            Generations = generations,
            Budget = o.Budget,
            InitialGenomes = initial,
            Objective0Targets = o.Targets.Select(t => t * original).ToArray(),
        }, rng);
    }

    internal static double[] BestAt(IReadOnlyList<HistoryRow> history, RunOptions o, double original) =>
        o.Targets.Select(t => history.Where(h => h.Cost(o.Objective) <= t * original)
            .Select(h => h.Accuracy).DefaultIfEmpty(double.NaN).Max()).ToArray();

    private static void Report(IProgress<RunProgress>? p, int generation, int evaluated, RunOptions o, double[]? best, string? message, double rate = 0)
    {
        if (p is null) return;
        var eta = rate > 0 ? TimeSpan.FromSeconds((o.Budget - evaluated) / rate) : TimeSpan.Zero;
        p.Report(new RunProgress(generation, evaluated, o.Budget, rate, best ?? o.Targets.Select(_ => double.NaN).ToArray(), eta, message));
    }

    private static void WriteHistory(string dir, List<HistoryRow> history)
    {
        var sb = new StringBuilder(HistoryRow.Header).Append('\n');
        foreach (var h in history) sb.Append(h.ToCsv()).Append('\n');
        AtomicFile.WriteText(Path.Combine(dir, "history.csv"), sb.ToString());
    }

    private static List<HistoryRow> ReadHistory(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] is not (HistoryRow.Header or HistoryRow.HeaderBeforeLatency)) throw new CheckpointException($"{path}: not a FastPrune history");
        var rows = new List<HistoryRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try { rows.Add(HistoryRow.Parse(lines[i])); }
            catch (Exception e) when (e is FormatException or OverflowException) { throw new CheckpointException($"{path}: line {i + 1} is corrupt ({e.Message})"); }
        }
        return rows;
    }
}
