namespace FastPrune.Search;

/// <summary>
/// Kendall's rank correlation τ-b between two samples: how well one orders the items as the other does (1: the same
/// order, −1: reversed), the measure of whether a latency predictor can rank subnets for a search in place of timing.
/// </summary>
internal static class KendallTau
{
    /// <summary>τ-b = (C − D) / √((n₀ − T_x)(n₀ − T_y)) over all pairs: C concordant, D discordant, n₀ = n(n−1)/2, T the
    /// pairs tied in one sample. O(n²): the samples are tens to hundreds of subnets.</summary>
    /// <exception cref="ArgumentException">The samples differ in length, have fewer than two items, hold NaN, or one is constant.</exception>
    public static double Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"samples of {x.Count} and {y.Count} items", nameof(y));
        if (x.Count < 2) throw new ArgumentException("τ needs at least two items", nameof(x));
        if (x.Concat(y).Any(double.IsNaN)) throw new ArgumentException("a sample holds NaN", nameof(x));
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0, pairs = 0;
        for (int i = 0; i < x.Count; i++)
        {
            for (int j = i + 1; j < x.Count; j++)
            {
                pairs++;
                int sx = Math.Sign(x[i] - x[j]), sy = Math.Sign(y[i] - y[j]);
                if (sx == 0) tiedX++;
                if (sy == 0) tiedY++;
                if (sx * sy > 0) concordant++;
                else if (sx * sy < 0) discordant++;
            }
        }
        double denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        if (denominator == 0) throw new ArgumentException("a sample is constant: τ is not defined", nameof(x));
        return (concordant - discordant) / denominator;
    }
}
