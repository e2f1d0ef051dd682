namespace FastPrune.Search;

/// <summary>
/// The calibration of a <see cref="LatencyTable"/> for one model: whole-model latency ≈ <see cref="Slope"/> · (sum of
/// the table's entries for its layers) + <see cref="Intercept"/>. The slope absorbs what timing layers alone gets wrong
/// in proportion (layout reorders, cache effects); the intercept is what the untimed ops and the call cost.
/// </summary>
/// <param name="Slope">Milliseconds of the model per millisecond of table sum.</param>
/// <param name="Intercept">Milliseconds of the model that do not move with its layers.</param>
internal sealed record LatencyFit(double Slope, double Intercept)
{
    /// <summary>The predicted latency of a model whose table sum is <paramref name="tableSum"/>.</summary>
    public double Predict(double tableSum) => Slope * tableSum + Intercept;

    /// <summary>Least squares over calibration models: their table sums and measured latencies. The intercept is kept
    /// non-negative (a line through the origin when the free fit's intercept is below zero): a negative intercept predicts
    /// a negative latency for small subnets, which then meet every target.</summary>
    /// <exception cref="ArgumentException">Fewer than two points, a point that is not finite, or sums that do not differ
    /// (a line through them is not determined).</exception>
    public static LatencyFit Of(IReadOnlyList<(double TableSum, double MeasuredMs)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2) throw new ArgumentException($"a latency fit needs at least 2 calibration models, got {points.Count}", nameof(points));
        if (points.Any(p => !double.IsFinite(p.TableSum) || !double.IsFinite(p.MeasuredMs)))
            throw new ArgumentException("a calibration point is not a finite number", nameof(points));
        double mx = points.Average(p => p.TableSum), my = points.Average(p => p.MeasuredMs);
        double sxx = points.Sum(p => (p.TableSum - mx) * (p.TableSum - mx));
        double sxy = points.Sum(p => (p.TableSum - mx) * (p.MeasuredMs - my));
        // Relative test: sums that agree to 1e-12 of their size are the same model as far as the table can tell.
        if (!(sxx > 1e-24 * Math.Max(1, mx * mx) * points.Count))
            throw new ArgumentException("the calibration models have the same table sum: the fit is not determined", nameof(points));
        double slope = sxy / sxx;
        if (my - slope * mx >= 0) return new LatencyFit(slope, my - slope * mx);
        // Least squares with the intercept held at its bound, 0: slope = Σxy / Σx² (the sums differ, so Σx² > 0).
        return new LatencyFit(points.Sum(p => p.TableSum * p.MeasuredMs) / points.Sum(p => p.TableSum * p.TableSum), 0);
    }
}
