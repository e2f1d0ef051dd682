using FastPrune.Cli;

namespace FastPrune.Tests.Corpus;

/// <summary>Option values that cannot be honoured: refused by name with exit 2, before anything is read or written.</summary>
[CorpusSource]
public static class OptionCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        // Seeds: the whole int range a user can type is 0..2^31-1; the rest is refused, never mapped to garbage.
        foreach (var seed in new[] { "-1", "-2147483648", "2147483648", "18446744073709551615", "1.5", "abc" })
        {
            yield return Usage("prune", $"seed {seed}", "--seed", "--seed", seed);
            yield return Usage("eval", $"seed {seed}", "--seed", "--seed", seed);
            yield return Usage("run", $"seed {seed}", "--seed", "--seed", seed);
        }
        foreach (var round in new[] { "0", "-8" })
        {
            yield return Usage("run", $"round {round}", "multiples of 1", "--round", round);
            yield return Usage("prune", $"round {round}", "multiples of 1", "--round", round);
        }
        foreach (var cmd in new[] { "prune", "eval", "run" })
            yield return Usage(cmd, "threads -1", "threads are 0", "--threads", "-1");
        yield return Usage("eval", "calib", "--calib", "--calib", "64");
        yield return Usage("eval", "recon", "--recon", "--recon", "paper");
        yield return Usage("eval", "missing-value", "--data: missing value", "--data", "--eval", "64");
        yield return Usage("prune", "missing-value", "--data: missing value", "--data", "--eval", "64");
        yield return Usage("run", "missing-value-end", "--out: missing value", "--out");
        yield return Usage("run", "budget 0", "--budget 0", "--budget", "0");
        foreach (var t in new[] { "0", "1.5", "abc", "," })
            yield return Usage("run", $"targets '{t}'", "--targets", "--targets", t);
        // Enum values: the flag's own names are listed (the parser's message named .NET types), numbers are no names.
        yield return Usage("run", "search-recon bogus", "--search-recon bogus: expected none, paper, corrective or exact", "--search-recon", "bogus");
        yield return Usage("prune", "recon 7", "--recon 7: expected none, paper, corrective or exact", "--recon", "7");
        yield return Usage("run", "search nsga2", "--search nsga2: expected nsga3 or random", "--search", "nsga2");
        yield return Usage("run", "objective flops", "--objective flops: expected macs, params or latency", "--objective", "flops");
        yield return Usage("run", "bench-engine bogus", "--bench-engine", "--bench-engine", "bogus");
        yield return Usage("run", "objective latency with --no-bench", "cannot be given with --no-bench", "--objective", "latency");
        yield return Usage("run", "latency-source bogus", "--latency-source bogus: expected measure, mix or table", "--latency-source", "bogus");
        yield return Usage("run", "latency-source without latency", "only a run with --objective latency", "--latency-source", "table");
        yield return Usage("run", "bench-batch 0", "--bench-batch", "--bench-batch", "0");
        yield return Usage("eval", "device gpu", "--device 'gpu'", "--device", "gpu");
        yield return Usage("eval", "eval 0", "--eval 0", "--eval", "0");
        yield return Usage("prune", "calib 0", "--calib 0", "--calib", "0");
        yield return Usage("prune", "select bogus", "--select bogus: expected random or l1", "--select", "bogus");
        yield return Usage("run", "select 0", "--select 0: expected random or l1", "--select", "0");
        yield return Usage("prune", "unknown flag", "--frobnicate", "--frobnicate");

        // Empty values: no option has a use for one (as a path it used to reach .NET as an argument error, exit 1).
        foreach (var flag in new[] { "--out", "--test-data", "--data", "--labels", "--resume", "--eval-data" })
            yield return Usage("run", $"empty {flag}", "the value is empty", flag, "");
        foreach (var flag in new[] { "--data", "--labels", "--eval-data" })
            yield return Usage("eval", $"empty {flag}", "the value is empty", flag, "");
        yield return new CorpusCase("option/bench/empty model", ExitCodes.Usage, "the path is empty", _ => new CorpusCall(["bench", ""], "model ''"));
        yield return new CorpusCase("option/run/empty model", ExitCodes.InvalidInput, "the model path is empty",
            f => new CorpusCall(["run", "", "--data", f.CalibData()], "''"));

        // Genomes: what a genome may be is said; '1' and '5e-1' are valid keep-ratios and are not here.
        foreach (var g in new[] { "abc", "", "0", "NaN", "Infinity", "-0.5", "1.5", "0,", "max,max" })
            yield return Genome(g, g is "0" or "NaN" or "Infinity" or "-0.5" or "1.5" ? "keep-ratio must be a number in (0, 1]" : "a genome is 'max', a keep-ratio");
        yield return Genome("1,2,3", "3 counts but the model has");
        // A --round given holds given counts to its grid: a count off it is refused, not moved (16 genes of the ResNet sample).
        yield return new CorpusCase("option/prune/genome count off the round grid", ExitCodes.Usage, "--round 8: gene 1",
            f => new CorpusCall(["prune", f.ResNet(), "-g", "22,11,45,11,11,11,22,90,22,22,22,45,180,47,45,45", "--round", "8", "-o", f.Path("out.onnx")], "count 22"));
        yield return new CorpusCase("option/prune/genome count out of range", ExitCodes.Usage, "outside 1..4",
            f => new CorpusCall(["prune", f.Model(), "-g", "100000", "-o", f.Path("out.onnx")], "count 100000"));
    }

    private static CorpusCase Usage(string cmd, string what, string cause, params string[] extra) =>
        new($"option/{cmd}/{what}", ExitCodes.Usage, cause, f =>
        {
            var model = f.ResNet();
            var data = f.CalibData();
            string[] head = cmd switch
            {
                "prune" => ["prune", model, "-g", "0.5", "-o", f.Path("out.onnx"), "--data", data, "--calib", "8", "--eval", "8"],
                "eval" => ["eval", model, "--data", data, "--eval", "8"],
                _ => ["run", model, "--data", data, "--calib", "8", "--eval", "8", "--budget", "2", "--no-bench"],
            };
            // The flag under test replaces the base line's own value of it (a repeated option would be another error).
            var args = new List<string>();
            for (int i = 0; i < head.Length; i++)
            {
                if (extra.Length > 1 && head[i] == extra[0] && i + 1 < head.Length) i++;
                else args.Add(head[i]);
            }
            args.AddRange(extra);
            // run's --out comes last, except where the case is an option missing its value at the end of the line.
            if (cmd == "run" && extra[^1] != "--out") args.AddRange(["--out", f.Path("run")]);
            return new CorpusCall([.. args], extra[0]);
        });

    private static CorpusCase Genome(string genome, string cause) =>
        new($"option/prune/genome '{genome}'", ExitCodes.Usage, cause, f =>
            new CorpusCall(["prune", f.ResNet(), "-g", genome, "-o", f.Path("out.onnx")], genome.Length == 0 ? "genome" : genome.Split(',')[0]));
}
