namespace FastPrune.Search;

/// <summary>How a <see cref="CostObjective.Latency"/> run knows each subnet's latency (<c>--latency-source</c>).</summary>
public enum LatencySource
{
    /// <summary>Every subnet timed whole, interleaved with the original; the written models re-measured.</summary>
    Measure,
    /// <summary>Every subnet predicted from the per-layer latency table (calibrated on a few whole-model timings);
    /// the written models re-measured before they are written.</summary>
    Mix,
    /// <summary>Predicted from the table everywhere, the written models' check included: no whole-model timing after
    /// the calibration.</summary>
    Table,
}
