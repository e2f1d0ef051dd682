namespace FastPrune.Runtime;

/// <summary>Order statistics of per-run latencies.</summary>
internal static class LatencyStats
{
    /// <summary>
    /// The <paramref name="p"/>-quantile of <paramref name="values"/> by linear interpolation between the
    /// closest ranks (type 7 of Hyndman and Fan, numpy's default): rank <c>p·(n−1)</c>.
    /// </summary>
    /// <param name="values">The sample, in any order; not modified.</param>
    /// <param name="p">Quantile in [0, 1]: 0.5 for the median, 0.99 for p99.</param>
    /// <returns>The quantile.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static double Quantile(ReadOnlySpan<double> values, double p)
    {
        if (values.IsEmpty) throw new ArgumentException("no values", nameof(values));
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "quantile must be in [0, 1]");
        var sorted = values.ToArray();
        Array.Sort(sorted);
        if (double.IsNaN(sorted[^1]) || double.IsNaN(sorted[0])) throw new ArgumentException("values hold NaN", nameof(values));
        double rank = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }
}
