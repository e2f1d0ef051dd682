namespace FastPrune.Evo;

/// <summary>Pareto front extraction and the two-objective hypervolume used to compare searches.</summary>
public static class Pareto
{
    /// <summary>
    /// The non-dominated records, sorted by objective 0 then objective 1 (for the final choice of sub-networks).
    /// Records with equal objectives are all kept, in input order, since neither dominates the other.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="records"/> or an item is null.</exception>
    /// <exception cref="ArgumentException">Records carry different objective counts.</exception>
    public static List<Evaluated> Front(IEnumerable<Evaluated> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = records.ToList();
        if (all.Any(r => r?.Objectives is null))
            throw new ArgumentNullException(nameof(records), "A record or its objectives is null.");
        var fronts = NonDominatedSorting.Sort(all.Select(r => r.Objectives).ToList(), 1);
        if (fronts.Count == 0)
            return [];
        return fronts[0].Select(i => all[i])
            .OrderBy(r => r.Objectives[0])
            .ThenBy(r => r.Objectives.Length > 1 ? r.Objectives[1] : 0)
            .ToList();
    }

    /// <summary>
    /// The area dominated by the points and bounded by <paramref name="reference"/> (both objectives minimised);
    /// points not strictly better than the reference in both objectives add nothing.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument or point is null.</exception>
    /// <exception cref="ArgumentException">A point or the reference does not have exactly 2 finite objectives.</exception>
    public static double Hypervolume2D(IEnumerable<double[]> points, ReadOnlySpan<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (reference.Length != 2 || !double.IsFinite(reference[0]) || !double.IsFinite(reference[1]))
            throw new ArgumentException("The reference point needs 2 finite objectives.", nameof(reference));
        double r0 = reference[0], r1 = reference[1];
        var inside = new List<(double X, double Y)>();
        foreach (var p in points)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(points));
            if (p.Length != 2 || !double.IsFinite(p[0]) || !double.IsFinite(p[1]))
                throw new ArgumentException("Every point needs 2 finite objectives.", nameof(points));
            if (p[0] < r0 && p[1] < r1)
                inside.Add((p[0], p[1]));
        }
        inside.Sort((a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        // Sweep by increasing objective 0; each point that lowers the best objective 1 so far adds the strip
        // between its objective 1 and the previous best, reaching to the reference in objective 0.
        double area = 0, bestY = r1;
        foreach (var (x, y) in inside)
        {
            if (y < bestY)
            {
                area += (r0 - x) * (bestY - y);
                bestY = y;
            }
        }
        return area;
    }
}
