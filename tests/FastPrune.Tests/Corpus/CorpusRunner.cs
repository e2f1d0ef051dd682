using FastPrune.Tests.Cli;
using Xunit;

namespace FastPrune.Tests.Corpus;

/// <summary>
/// Runs one corpus case through the CLI in-process and asserts the contract every bad input has: the documented
/// exit code, nothing on stdout, exactly one line on stderr (after <c>run</c>'s progress lines) naming what is
/// wrong and the cause, no stack trace, and every file in and around the case folder as it was.
/// </summary>
internal static class CorpusRunner
{
    // What run's progress line prints before the session has opened the model and data.
    private static readonly string[] ProgressPrefixes =
        ["fastprune: run folder ", "fastprune: opening the model", "fastprune: loading ", "fastprune: reading ", "fastprune: unpruned accuracy "];

    public static void Check(CorpusCase c)
    {
        using var folder = new CorpusFolder();
        var call = c.Arrange(folder);
        var before = CorpusSnapshot.Take(folder.Root, call.Outside);
        // What the case holds (a lock) is released only after the second snapshot, which must see the files as the first did.
        using var holding = call.Holding;
        var (code, stdout, err) = CliRun.Run(call.Args);
        var context = $"{c.Name}: {new CliResult(code, stdout, err)}";

        Assert.True(c.Exit == code, context);
        Assert.True(stdout.Length == 0, context);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (call.Progress)
            lines = lines.Where(l => !ProgressPrefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal))).ToArray();
        Assert.True(lines.Length == 1, context);
        var line = lines[0];
        if (Environment.GetEnvironmentVariable("CORPUS_DUMP") is { } dump) File.AppendAllText(dump, $"{c.Name}\t{line}\n");
        Assert.True(line.StartsWith("fastprune: ", StringComparison.Ordinal), context);
        Assert.True(line.Contains(call.Names, StringComparison.Ordinal), $"error line does not name '{call.Names}'\n{context}");
        Assert.True(line.Contains(c.Cause, StringComparison.OrdinalIgnoreCase), $"error line does not say '{c.Cause}'\n{context}");
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal(before, CorpusSnapshot.Take(folder.Root, call.Outside));
    }
}
