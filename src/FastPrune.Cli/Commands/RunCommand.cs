using System.CommandLine;
using System.Globalization;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Search;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune run [MODEL] [--data D] … </c>: the whole method, from a trained model and data to a
/// Pareto front of reconstructed models. With no arguments it runs on the bundled sample.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliIo io)
    {
        var model = new Argument<string?>("model") { Description = "ONNX model (default: the bundled samples/resnet.onnx)", Arity = ArgumentArity.ZeroOrOne };
        var data = new DataOptions();
        var outDir = new Option<string?>("--out") { Description = "output folder (default: a new folder named after the model and the start time)" };
        var resume = new Option<string?>("--resume") { Description = "continue the run in this folder, with the options it was started with" };
        var budget = new Option<int>("--budget") { Description = "subnets evaluated in total (paper: 1564)", DefaultValueFactory = _ => 1564 };
        var targets = new Option<string>("--targets") { Description = "cost targets as fractions of the original, one model written per target", DefaultValueFactory = _ => "0.5,0.3" };
        var seed = CliIo.SeedOption("seed of everything random");
        var search = new Option<SearchKind>("--search") { Description = "nsga3 or random", DefaultValueFactory = _ => SearchKind.Nsga3 };
        var select = new Option<SelectionMethod>("--select") { Description = "random or l1", DefaultValueFactory = _ => SelectionMethod.L1 };
        var objective = new Option<CostObjective>("--objective") { Description = "macs or params", DefaultValueFactory = _ => CostObjective.Macs };
        var searchRecon = new Option<ReconMode>("--search-recon") { Description = "reconstruction used to rank subnets in the search", DefaultValueFactory = _ => ReconMode.Paper };
        var testData = new Option<string?>("--test-data") { Description = "data the search never sees, to measure the written models on" };
        var round = CliIo.AtLeast(new Option<int>("--round") { Description = "round channel counts to multiples of N (1: every count)", DefaultValueFactory = _ => 1 },
            1, "channel counts are rounded to multiples of 1 (no rounding) or more");
        var benchEngine = new Option<string?>("--bench-engine") { Description = "engine measuring the written models' throughput: ort-cpu, ort-cuda or trt (default: the evaluation device)" };
        var noBench = new Option<bool>("--no-bench") { Description = "do not measure throughput" };
        var cmd = new Command("run", "Search a Pareto front of pruned, reconstructed models (the paper's Algorithm 1).")
            { model, outDir, resume, budget, targets, seed, search, select, objective, searchRecon, testData, round, benchEngine, noBench };
        data.AddTo(cmd);
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var resumeDir = pr.GetValue(resume);
            // A run folder keeps its options: --resume DIR alone continues with them (options beside it may not change them).
            if (resumeDir is not null && SearchRun.StoredOptions(resumeDir) is { } stored)
                return Execute(io, RunResume.Merge(pr, stored, cmd));
            var modelPath = pr.GetValue(model);
            bool embedded = modelPath is null;
            modelPath ??= Bundled("samples/resnet.onnx");
            var dataPath = pr.GetValue(data.Data);
            string? test = pr.GetValue(testData);
            int? calib = pr.Tokens.Any(t => t.Value == "--calib") ? null : 1500, eval = pr.Tokens.Any(t => t.Value == "--eval") ? null : 1500;
            if (dataPath is null)
            {
                if (!embedded) throw new UsageException("--data is required with a model");
                dataPath = Bundled("samples/data/calib-images-idx3-ubyte");
                test ??= Bundled("samples/data/test-images-idx3-ubyte");
            }
            var prune = data.Build(pr, modelPath, pr.GetValue(select), pr.GetValue(seed), dataPath);
            if (embedded) prune = prune with { Calib = calib ?? prune.Calib, Eval = eval ?? prune.Eval };
            // The written models are few: polish them with the exact layer-by-layer reconstruction unless told otherwise.
            if (!pr.Tokens.Any(t => t.Value == "--recon")) prune = prune with { Recon = ReconMode.Exact };
            var dir = resumeDir ?? pr.GetValue(outDir) ?? DefaultDir(modelPath);
            var o = new RunOptions
            {
                Prune = prune,
                OutDir = dir,
                Resume = resumeDir is not null,
                Budget = embedded && !pr.Tokens.Any(t => t.Value == "--budget") ? 150 : pr.GetValue(budget),
                Targets = ParseTargets(pr.GetValue(targets)!),
                Search = pr.GetValue(search),
                Objective = pr.GetValue(objective),
                SearchRecon = pr.GetValue(searchRecon),
                TestDataPath = test,
                Round = pr.GetValue(round),
                // Checked even with --no-bench: a bad value is refused, never silently ignored.
                BenchEngine = BenchEngine(pr.GetValue(benchEngine), prune.EvalOnCuda) is var engine && pr.GetValue(noBench) ? null : engine,
            };
            if (o.Budget < 1) throw new UsageException($"--budget {o.Budget}: must be at least 1");
            return Execute(io, o);
        }));
        return cmd;
    }

    private static int Execute(CliIo io, RunOptions o)
    {
        var bar = new ProgressLine(io.Err, Path.GetFullPath(o.OutDir));
        RunResult result;
        try
        {
            result = SearchRun.Execute(o, bar, io.Cancel);
        }
        catch (OperationCanceledException)
        {
            bar.Done();
            // Before the first subnet the run removes its folder again: there is nothing to resume.
            io.Err.WriteLine(File.Exists(Path.Combine(o.OutDir, "history.csv"))
                ? $"fastprune: interrupted; the history so far is saved: continue with --resume {o.OutDir}"
                : "fastprune: interrupted before the first subnet; nothing was saved");
            return ExitCodes.Interrupted;
        }
        bar.Done();
        Summarise(io, result);
        return ExitCodes.Ok;
    }

    private static void Summarise(CliIo io, RunResult r)
    {
        foreach (var w in r.Warnings) io.Err.WriteLine($"fastprune: note: {w}");
        io.Out.WriteLine($"{r.Evaluated} subnets evaluated, {r.Front} on the Pareto front; unpruned accuracy {r.BaselineAccuracy:P2}" +
            (r.BaselineTestAccuracy is { } bt ? $" (test {bt:P2})" : ""));
        foreach (var m in r.Models)
            io.Out.WriteLine($"  {Path.GetFileName(m.Path)}: {m.Macs:N0} MACs, accuracy {m.FinalAccuracy:P2} (search saw {m.SearchAccuracy:P2})" +
                (m.TestAccuracy is { } t ? $", test {t:P2}" : ""));
        io.Out.WriteLine($"outputs in {Path.GetFullPath(r.OutDir)}: history.csv, front.json, front.png, pruned-*.onnx" +
            (r.PeakResidentBytes > 0 ? $"; peak memory {r.PeakResidentBytes / 1e9:F2} GB" : ""));
    }

    private static FastPrune.Runtime.InferenceEngine BenchEngine(string? text, bool cuda)
    {
        if (text is null) return cuda ? FastPrune.Runtime.InferenceEngine.OrtCuda : FastPrune.Runtime.InferenceEngine.OrtCpu;
        return FastPrune.Runtime.InferenceEngineNames.TryParse(text, out var e) && text != "auto"
            ? e : throw new UsageException($"--bench-engine '{text}': expected ort-cpu, ort-cuda or trt");
    }

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

    private static string DefaultDir(string model) =>
        $"{Path.GetFileNameWithoutExtension(model)}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>A bundled file: under the current folder, else beside the tool (the installed package carries
    /// samples/ next to its DLL) or under the repository it was built in.</summary>
    internal static string Bundled(string relative)
    {
        if (File.Exists(relative)) return relative;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        throw new FileNotFoundException($"{relative}: bundled sample not found beside the tool or in the repository it was built in");
    }
}
