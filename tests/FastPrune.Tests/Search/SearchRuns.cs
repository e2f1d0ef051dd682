using FastPrune.Pipeline;
using FastPrune.Search;
using FastPrune.Tests.Pipeline;

namespace FastPrune.Tests.Search;

/// <summary>Small search runs over the bundled ResNet sample, and what tests compare of their outputs.</summary>
internal static class SearchRuns
{
    public static RunOptions Options(string outDir, int seed, int budget = 24, string? model = null) => new()
    {
        Prune = Sessions.Options(model ?? SampleFiles.ResNet, ReconMode.Paper) with { Seed = seed },
        OutDir = outDir,
        Budget = budget,
        Population = 8,
        Offspring = 8,
        Targets = [0.5, 0.3],
        SearchRecon = ReconMode.Paper,
    };

    /// <summary>history.csv without the timing columns: index, generation, genome, macs, params, accuracy.</summary>
    public static string[] History(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "history.csv")).Skip(1).Select(l => string.Join(',', l.Split(',').Take(6))).ToArray();

    /// <summary>An <see cref="IProgress{T}"/> that runs its callback synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    public sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
