using System.Globalization;

namespace FastPrune.Search;

/// <summary>One evaluated subnet, as a row of history.csv.</summary>
/// <remarks>The latency columns are filled by a <see cref="CostObjective.Latency"/> run (drift-corrected median ms of one
/// batch, spread (p90 − p10) / median, and how it was obtained: <c>measured</c>, or <c>predicted</c> by the per-layer table with spread 0); empty otherwise. A resumed run reads
/// them back and never re-measures: the history is the source of truth.</remarks>
internal sealed record HistoryRow(int Index, int Generation, int[] Genome, long Macs, long Params, double Accuracy,
    double TSurgery, double TRecon, double TSession, double TInfer, double? LatencyMs = null, double? LatencySpread = null,
    bool LatencyPredicted = false)
{
    /// <summary>The header line of history.csv.</summary>
    public const string Header = HeaderBeforeLatency + ",latency_ms,latency_spread,latency_source";

    /// <summary>The header of histories written before the latency objective (still resumable).</summary>
    public const string HeaderBeforeLatency = "index,generation,genome,macs,params,accuracy,t_surgery_s,t_recon_s,t_session_s,t_infer_s";

    /// <summary>The row's cost under <paramref name="objective"/> (told apart in <see cref="ObjectiveCost"/>).</summary>
    /// <exception cref="InvalidOperationException">A latency cost asked of a row that was not measured.</exception>
    public double Cost(CostObjective objective) => objective.Of(this);

    /// <summary>The row as a CSV line (the genome is one field, counts separated by spaces).</summary>
    public string ToCsv() => string.Join(',', Index.ToString(CultureInfo.InvariantCulture), Generation.ToString(CultureInfo.InvariantCulture),
        string.Join(' ', Genome), Macs.ToString(CultureInfo.InvariantCulture), Params.ToString(CultureInfo.InvariantCulture),
        Accuracy.ToString("R", CultureInfo.InvariantCulture), F(TSurgery), F(TRecon), F(TSession), F(TInfer),
        // Round-trip format: a resumed search replays exactly the latencies the first one saw.
        LatencyMs?.ToString("R", CultureInfo.InvariantCulture) ?? "", LatencySpread?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        LatencyMs is null ? "" : LatencyPredicted ? "predicted" : "measured");

    /// <summary>Parses a line written by <see cref="ToCsv"/> (or one of a history written before the latency columns).</summary>
    /// <exception cref="FormatException">The line is not a history row.</exception>
    public static HistoryRow Parse(string line)
    {
        var f = line.Split(',');
        if (f.Length is not (10 or 13)) throw new FormatException($"expected 13 fields, found {f.Length}");
        var inv = CultureInfo.InvariantCulture;
        double? Opt(int i) => f.Length > i && f[i].Length > 0 ? double.Parse(f[i], inv) : null;
        if (f.Length == 13 && (f[10].Length > 0) != (f[12] is "measured" or "predicted")) throw new FormatException($"latency source '{f[12]}' does not match latency '{f[10]}'");
        return new HistoryRow(int.Parse(f[0], inv), int.Parse(f[1], inv),
            f[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, inv)).ToArray(),
            long.Parse(f[3], inv), long.Parse(f[4], inv), double.Parse(f[5], inv),
            double.Parse(f[6], inv), double.Parse(f[7], inv), double.Parse(f[8], inv), double.Parse(f[9], inv), Opt(10), Opt(11), f.Length == 13 && f[12] == "predicted");
    }

    private static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
