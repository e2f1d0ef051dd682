namespace FastPrune.Runtime;

/// <summary>What one throughput measurement found.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Engine">The engine that ran it.</param>
/// <param name="Batch">Images per run.</param>
/// <param name="Macs">Multiply-accumulates per image (batch 1), from the graph; −1 when its shapes do not allow counting them.</param>
/// <param name="LatenciesMs">Milliseconds of each timed run, in run order.</param>
public sealed record ThroughputResult(string Model, InferenceEngine Engine, int Batch, long Macs, IReadOnlyList<double> LatenciesMs)
{
    /// <summary>Median latency of one batch, ms.</summary>
    public double P50Ms { get; } = LatencyStats.Quantile(LatenciesMs.ToArray(), 0.5);

    /// <summary>99th-percentile latency of one batch, ms.</summary>
    public double P99Ms { get; } = LatencyStats.Quantile(LatenciesMs.ToArray(), 0.99);

    /// <summary>Images per second at the median latency: the figure the paper's Table 6 reports.</summary>
    public double ImagesPerSecond => Batch * 1000.0 / P50Ms;
}
