using FastPrune.Tests.Cli;

namespace FastPrune.Tests.Bench;

/// <summary>The bench tests' view of <see cref="CliRun"/>.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args) => CliRun.Run(args);

    /// <summary>Lines of <paramref name="text"/>, without the empty last one.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
