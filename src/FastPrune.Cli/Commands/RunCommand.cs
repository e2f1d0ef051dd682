using System.CommandLine;
using System.Globalization;
using FastPrune.Cluster;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using FastPrune.Search;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune run [MODEL] [--data D] … </c>: the whole method, from a trained model and data to a
/// Pareto front of reconstructed models. With no arguments it runs on the bundled sample
/// (<see cref="BundledSample.Search"/>). Every default is the library's (<see cref="SearchSettings"/>).
/// </summary>
internal static partial class RunCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new SearchSettings { Workspace = new() };
        var model = new Argument<string?>("model") { Description = "ONNX model (default: the bundled samples/resnet.onnx)", Arity = ArgumentArity.ZeroOrOne };
        var data = new DataOptions(SearchSettings.DefaultFinalRecon, "reconstruction of the written models");
        var outDir = new Option<string?>("--out") { Description = "output folder (default: a new folder in the current one, named after the model and the start time)" };
        var resume = new Option<string?>("--resume") { Description = "continue the run in this folder, with the options it was started with" };
        var budget = new Option<int>("--budget")
        {
            Description = $"subnets evaluated in total (the paper's; {BundledSample.Budget} on the bundled sample when no model is given)",
            DefaultValueFactory = _ => SearchSettings.DefaultBudget,
        };
        var targets = new Option<string>("--targets")
        {
            Description = "cost targets as fractions of the original, one model written per target",
            DefaultValueFactory = _ => Targets(defaults.Targets),
        };
        var seed = CliIo.SeedOption("seed of everything random");
        var search = CliIo.Choice(new Option<SearchKind>("--search") { Description = "nsga3 or random", DefaultValueFactory = _ => defaults.Search });
        var select = CliIo.Choice(new Option<SelectionRule>("--select") { Description = "random or l1", DefaultValueFactory = _ => defaults.Workspace.Select });
        var objective = CliIo.Choice(new Option<CostObjective>("--objective") { Description = "macs, params or latency (measured on --bench-engine at --bench-batch; --targets are then fractions of the original's latency)", DefaultValueFactory = _ => defaults.Objective });
        var latencySource = CliIo.Choice(new Option<LatencySource>("--latency-source")
        {
            Description = "with --objective latency: measure (time each subnet whole), mix (predict from a per-layer table, re-measure the written models) or table (predict everywhere)",
            DefaultValueFactory = _ => SearchSettings.DefaultLatencySource,
        });
        var searchRecon = CliIo.Choice(new Option<ReconMode>("--search-recon")
        {
            Description = "reconstruction used to rank subnets in the search",
            DefaultValueFactory = _ => defaults.SearchRecon,
        });
        var testData = new Option<string?>("--test-data") { Description = "data the search never sees, to measure the written models on" };
        var round = CliIo.AtLeast(new Option<int>("--round")
        {
            Description = $"round channel counts to multiples of N (1: every count, the paper's search space; default " +
                $"{SearchSettings.DefaultRound(CostObjective.Macs)}, widths the engines run fast, and {SearchSettings.DefaultRound(CostObjective.Latency)} with --objective latency, which measures)",
            DefaultValueFactory = _ => SearchSettings.DefaultRound(CostObjective.Macs),
        }, 1, "channel counts are rounded to multiples of 1 (no rounding) or more");
        var benchEngine = new Option<string?>("--bench-engine") { Description = "engine measuring the written models' throughput: ort-cpu, ort-cuda or trt (default: the evaluation device)" };
        var noBench = new Option<bool>("--no-bench") { Description = "do not measure throughput" };
        var benchBatch = CliIo.AtLeast(new Option<int>("--bench-batch")
        {
            Description = "images per timed run of the throughput and latency measurements (a model fixed to a batch runs at its own)",
            DefaultValueFactory = _ => defaults.BenchBatch,
        }, 1, "a timed run holds at least one image");
        var cluster = new Option<string?>("--cluster") { Description = "evaluate the subnets on the workers of this cluster: localhost ('fastprune worker --cluster localhost' processes on this machine), redis=<host:port>, adonet=<invariant>;<connection string>, kubernetes+redis=… or kubernetes+adonet=…; in this process while none has joined" };
        var clusterDefaults = new ClusterOptions();
        var workerTimeout = CliIo.AtLeast(new Option<int>("--worker-timeout")
        {
            Description = "seconds one subnet may take on a worker before it is given to another (with --cluster)",
            DefaultValueFactory = _ => (int)clusterDefaults.Timeout.TotalSeconds,
        }, 1, "a worker needs at least one second");
        var retries = CliIo.AtLeast(new Option<int>("--retries")
        {
            Description = "worker failures a subnet may see before this process evaluates it (with --cluster)",
            DefaultValueFactory = _ => clusterDefaults.Retries,
        }, 0, "retries are 0 or more");
        var workerBackoff = CliIo.AtLeast(new Option<int>("--worker-backoff")
        {
            Description = "seconds a failed worker first sits out, doubled per failure in a row up to 16x (with --cluster)",
            DefaultValueFactory = _ => (int)clusterDefaults.Backoff.TotalSeconds,
        }, 0, "a back-off is 0 seconds or more");
        ClusterOptions? Cluster(ParseResult pr) => pr.GetValue(cluster) is not { } c ? null : clusterDefaults with
        {
            Clustering = Clustering.Parse(c),
            Timeout = TimeSpan.FromSeconds(pr.GetValue(workerTimeout)),
            Retries = pr.GetValue(retries),
            Backoff = TimeSpan.FromSeconds(pr.GetValue(workerBackoff)),
        };
        var cmd = new Command("run", "Search a Pareto front of pruned, reconstructed models (the paper's Algorithm 1).")
            { model, outDir, resume, budget, targets, seed, search, select, objective, latencySource, searchRecon, testData, round, benchEngine, noBench, benchBatch, cluster, workerTimeout, retries, workerBackoff };
        data.AddTo(cmd);
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var resumeDir = pr.GetValue(resume);
            // A run folder keeps its options: --resume DIR alone continues with them (options beside it may not change them).
            if (resumeDir is not null && Pruner.StoredSearch(resumeDir) is { } stored)
                return Execute(io, RunResume.Merge(pr, stored, cmd), Cluster(pr));
            bool Given(string flag) => pr.Tokens.Any(t => t.Value == flag);
            var modelPath = pr.GetValue(model);
            // Without a model: the bundled sample, with its own defaults for what the command line does not say.
            var basis = modelPath is null ? BundledSample.Search() : defaults;
            var dataPath = pr.GetValue(data.Data);
            if (dataPath is null && modelPath is not null) throw new UsageException("--data is required with a model");
            var workspace = data.Build(pr, modelPath ?? basis.Workspace.ModelPath, pr.GetValue(select), pr.GetValue(seed), dataPath ?? basis.Workspace.DataPath);
            workspace = workspace with
            {
                Calib = Given("--calib") ? workspace.Calib : basis.Workspace.Calib,
                Eval = Given("--eval") ? workspace.Eval : basis.Workspace.Eval,
            };
            var s = basis with
            {
                Workspace = workspace,
                OutDir = resumeDir ?? pr.GetValue(outDir),
                Resume = resumeDir is not null,
                Budget = Given("--budget") ? pr.GetValue(budget) : basis.Budget,
                Targets = ParseTargets(pr.GetValue(targets)!),
                Search = pr.GetValue(search),
                Objective = pr.GetValue(objective),
                // Only a given value is passed on: the default applies to a latency run, and a value beside another objective is refused.
                LatencySource = Given("--latency-source") ? pr.GetValue(latencySource) : null,
                SearchRecon = pr.GetValue(searchRecon),
                FinalRecon = workspace.Recon,
                TestDataPath = pr.GetValue(testData) ?? (dataPath is null ? basis.TestDataPath : null),
                // Only a given value is passed on: the default depends on the objective.
                Round = Given("--round") ? pr.GetValue(round) : basis.Round,
                // Checked even with --no-bench: a bad value is refused, never silently ignored.
                BenchEngine = BenchEngine(pr.GetValue(benchEngine)),
                Bench = !pr.GetValue(noBench),
                BenchBatch = pr.GetValue(benchBatch),
            };
            return Execute(io, s, Cluster(pr));
        }));
        return cmd;
    }

    private static int Execute(CliIo io, SearchSettings s, ClusterOptions? cluster)
    {
        s = s with { OutDir = s.OutDir ?? SearchSettings.DefaultOutDir(s.Workspace.ModelPath) };
        var bar = new ProgressLine(io.Err, Path.GetFullPath(s.OutDir));
        RunResult result;
        try
        {
            result = cluster is null ? Pruner.Search(s, bar, io.Cancel) : ClusterSearch.Run(s, cluster, bar, io.Cancel);
        }
        catch (OperationCanceledException)
        {
            bar.Done();
            // Before the first subnet the run removes its folder again: there is nothing to resume.
            io.Err.WriteLine(File.Exists(Path.Combine(s.OutDir, "history.csv"))
                ? $"fastprune: interrupted; the history so far is saved: continue with --resume {s.OutDir}"
                : "fastprune: interrupted before the first subnet; nothing was saved");
            return ExitCodes.Interrupted;
        }
        bar.Done();
        Summarise(io, result);
        return ExitCodes.Ok;
    }

    /// <summary>The engine named by --bench-engine, or null (the evaluation device's) when none is named.</summary>
    internal static InferenceEngine? BenchEngine(string? text) =>
        text is null ? null
        : InferenceEngineNames.TryParse(text, out var e) && text != "auto" ? e
        : throw new UsageException($"--bench-engine '{text}': expected ort-cpu, ort-cuda or trt");

    private static string Targets(IReadOnlyList<double> targets) => string.Join(",", targets.Select(t => t.ToString(CultureInfo.InvariantCulture)));

    private static IReadOnlyList<double> ParseTargets(string text)
    {
        var list = new List<double>();
        foreach (var p in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !(t > 0 && t <= 1))
                throw new UsageException($"--targets: '{p}' is not a fraction in (0, 1]");
            list.Add(t);
        }
        return list.Count > 0 ? list : throw new UsageException("--targets: no target given");
    }
}
