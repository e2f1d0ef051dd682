using FastPrune.Tests.Cli;

namespace FastPrune.Tests.Bench;

/// <summary>Text helpers of the bench tests (they run the CLI through <see cref="CliRun"/>).</summary>
internal static class Cli
{
    /// <summary>Lines of <paramref name="text"/>, without the empty last one.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
