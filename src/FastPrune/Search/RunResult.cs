namespace FastPrune.Search;

/// <summary>A model written for one target.</summary>
/// <param name="Target">The cost fraction.</param>
/// <param name="Path">The written file.</param>
/// <param name="Genome">Its genome.</param>
/// <param name="Macs">MACs at batch 1.</param>
/// <param name="Params">Parameters.</param>
/// <param name="SearchAccuracy">Accuracy the search measured (search reconstruction, evaluation split).</param>
/// <param name="FinalAccuracy">Accuracy of the written model (final reconstruction, evaluation split).</param>
/// <param name="TestAccuracy">Accuracy on the test data the search never saw, when given.</param>
public sealed record WrittenModel(double Target, string Path, int[] Genome, long Macs, long Params, double SearchAccuracy, double FinalAccuracy, double? TestAccuracy)
{
    /// <summary>Latency objective: the search's drift-corrected latency of one batch, ms (null for MACs or params).</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Latency objective: the written model's latency over the original's, re-measured interleaved with it before
    /// the model was written (at most <see cref="Target"/>), or with <see cref="LatencyPredicted"/> the latency table's
    /// prediction; null for MACs or params.</summary>
    public double? LatencyRatio { get; init; }

    /// <summary>Whether <see cref="LatencyRatio"/> is the latency table's prediction (<c>--latency-source table</c>) rather
    /// than a measurement.</summary>
    public bool LatencyPredicted { get; init; }

    /// <summary>The written model's throughput over the original's on the bench engine, both timed in one interleaved run
    /// at the end (front.json's <c>speedup</c>); null with <c>--no-bench</c> or when the engine could not run them.</summary>
    public double? Speedup { get; init; }
}

/// <summary>What a run produced.</summary>
/// <param name="OutDir">The run folder.</param>
/// <param name="Evaluated">Subnets in the history.</param>
/// <param name="Front">Pareto front size.</param>
/// <param name="BaselineAccuracy">The unpruned model's accuracy on the evaluation split.</param>
/// <param name="BaselineTestAccuracy">The unpruned model's accuracy on the test data, when given.</param>
/// <param name="Models">One model per target that some subnet met.</param>
/// <param name="Warnings">Notes for the user.</param>
public sealed record RunResult(string OutDir, int Evaluated, int Front, double BaselineAccuracy, double? BaselineTestAccuracy,
    IReadOnlyList<WrittenModel> Models, IReadOnlyList<string> Warnings)
{
    /// <summary>The process's peak resident memory at the end of the run, in bytes (0 where the OS does not say).</summary>
    public long PeakResidentBytes { get; init; }

    /// <summary>Latency objective with a per-layer table (<c>mix</c>, <c>table</c>): how the table was used; else null.</summary>
    public LatencyTableUse? LatencyTable { get; init; }
}

/// <summary>How a latency run's per-layer table was used: what a first run on a machine pays in timing layers, and a later
/// one saves through the machine's cache.</summary>
/// <param name="Entries">Layer configurations in the run's table at the end.</param>
/// <param name="Timed">Configurations this process timed (the others came from the machine's cache or the resumed run's table).</param>
/// <param name="ProbeSeconds">Seconds this process spent timing them.</param>
/// <param name="Lookups">Layer lookups this process made (one per timed layer and layout switch of each predicted network, the calibration's included).</param>
/// <param name="Hits">Lookups answered from the table without timing.</param>
public sealed record LatencyTableUse(int Entries, int Timed, double ProbeSeconds, int Lookups, int Hits);
