using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using FastPrune.Runtime;
using FastPrune.Search;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>run --resume DIR</c>: the run continues with the options its folder stored when it started (model and data
/// paths included). An option given beside <c>--resume</c> may repeat the stored value; one that would change the
/// search is refused by name, since the resumed history would no longer be the one an uninterrupted run gives.
/// Only what cannot change the history may differ: --threads, --memory-limit (it sizes batches, and results do not
/// depend on them), --bench-engine, --no-bench and --cluster (where subnets are evaluated) — except in a run whose objective is measured latency, where the
/// engine and threads decide the history and must stay the run's.
/// </summary>
internal static class RunResume
{
    private static readonly string[] Paths = ["--data", "--labels", "--eval-data", "--test-data"];

    /// <summary>The stored options with the harmless overrides of the command line applied.</summary>
    /// <exception cref="UsageException">An option beside --resume differs from the run's.</exception>
    public static SearchSettings Merge(ParseResult pr, SearchSettings stored, Command cmd)
    {
        var o = stored;
        foreach (var arg in cmd.Arguments)
        {
            if (pr.GetResult(arg) is { Tokens.Count: > 0 } a && !SamePath(a.Tokens[0].Value, stored.Workspace.ModelPath))
                throw Differs("the model", a.Tokens[0].Value, stored.Workspace.ModelPath);
        }
        foreach (var option in cmd.Options)
        {
            if (pr.GetResult(option) is not { Implicit: false } r || option.Name is "--resume" or "--verbose") continue;
            string given = r.Tokens.Count > 0 ? r.Tokens[0].Value : "true";
            switch (option.Name)
            {
                case "--threads" when stored.Objective == CostObjective.Latency && Normalise(option.Name, given) != Int(stored.Workspace.Threads):
                    throw Differs("--threads (latency is measured with the run's threads)", given, Int(stored.Workspace.Threads));
                case "--bench-engine" when stored.Objective == CostObjective.Latency && RunCommand.BenchEngine(given) != stored.BenchEngine:
                    throw Differs("--bench-engine (latency is measured on the run's engine)", given, stored.BenchEngine?.ToName() ?? "not given");
                case "--threads":
                    o = o with { Workspace = o.Workspace with { Threads = int.Parse(given, CultureInfo.InvariantCulture) } };
                    break;
                case "--memory-limit":
                    o = o with { Workspace = o.Workspace with { MemoryLimitBytes = DataOptions.MemoryLimitBytes(pr.GetValue((Option<double>)option)) } };
                    break;
                case "--no-bench":
                    o = o with { Bench = false };
                    break;
                case "--cluster" or "--worker-timeout" or "--retries" or "--worker-backoff":
                    // Where the subnets are evaluated does not change the history (RunCommand passes it on).
                    break;
                case "--bench-engine":
                    o = o with { BenchEngine = RunCommand.BenchEngine(given), Bench = true };
                    break;
                case "--out":
                    throw new UsageException($"--out {given}: a resumed run continues in its own folder ({stored.OutDir}); give --resume alone");
                default:
                    string? was = Stored(option.Name, stored);
                    bool same = Paths.Contains(option.Name)
                        ? was is not null && SamePath(given, was)
                        : string.Equals(Normalise(option.Name, given), was, StringComparison.OrdinalIgnoreCase);
                    if (!same) throw Differs(option.Name, given, was ?? "not given");
                    break;
            }
        }
        return o;
    }

    private static UsageException Differs(string what, string given, string was) =>
        new($"--resume continues a run with its own options: {what} '{given}' differs from the run's '{was}' (give --resume alone, or start a new run)");

    private static bool SamePath(string given, string stored) =>
        string.Equals(Path.GetFullPath(given), stored, StringComparison.Ordinal) || Pruner.SameFile(given, stored);

    private static string Normalise(string flag, string given) => flag == "--targets"
        ? string.Join(",", given.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : t))
        : int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i.ToString(CultureInfo.InvariantCulture) : given;

    private static string? Stored(string flag, SearchSettings s) => flag switch
    {
        "--data" => s.Workspace.DataPath,
        "--labels" => s.Workspace.LabelsPath,
        "--eval-data" => s.Workspace.EvalDataPath,
        "--test-data" => s.TestDataPath,
        "--calib" => Int(s.Workspace.Calib),
        "--eval" => Int(s.Workspace.Eval),
        "--seed" => Int(s.Workspace.Seed),
        "--budget" => Int(s.Budget),
        "--round" => s.Round is { } r ? Int(r) : null,
        "--bench-batch" => Int(s.BenchBatch),
        "--targets" => string.Join(",", s.Targets.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        "--select" => s.Workspace.Select.ToString(),
        "--recon" => s.FinalRecon.ToString(),
        "--search-recon" => s.SearchRecon.ToString(),
        "--search" => s.Search.ToString(),
        "--objective" => s.Objective.ToString(),
        "--latency-source" => s.LatencySource?.ToString(),
        "--device" => s.Workspace.Device.ToString(),
        _ => null,
    };

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
