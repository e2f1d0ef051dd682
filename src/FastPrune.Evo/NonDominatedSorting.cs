namespace FastPrune.Evo;

/// <summary>Pareto dominance and Deb's fast non-dominated sorting, all objectives minimised.</summary>
public static class NonDominatedSorting
{
    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> in every objective and better in one.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Objective counts differ ({a.Length} vs {b.Length}).", nameof(b));
        bool better = false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
                return false;
            if (a[i] < b[i])
                better = true;
        }
        return better;
    }

    /// <summary>
    /// Splits the points into fronts: front 0 is the non-dominated set, front k is non-dominated once fronts
    /// 0..k−1 are removed. O(M·N²) time, O(N²) worst-case memory (Deb et al., 2002). Indices within a front are
    /// ascending, so the result depends only on the input order.
    /// </summary>
    /// <param name="points">The objective vectors, all of one length.</param>
    /// <param name="stopAfter">Stop once the fronts returned hold at least this many points (survival needs no more);
    /// int.MaxValue sorts everything.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> or an item is null.</exception>
    /// <exception cref="ArgumentException">The vectors differ in length.</exception>
    public static List<int[]> Sort(IReadOnlyList<double[]> points, int stopAfter = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Count;
        for (int i = 0; i < n; i++)
        {
            ArgumentNullException.ThrowIfNull(points[i], nameof(points));
            if (points[i].Length != points[0].Length)
                throw new ArgumentException("Objective vectors differ in length.", nameof(points));
        }
        var dominated = new List<int>[n];   // the points each point dominates
        var dominatedBy = new int[n];       // how many points dominate each point
        for (int i = 0; i < n; i++)
            dominated[i] = [];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (Dominates(points[i], points[j])) { dominated[i].Add(j); dominatedBy[j]++; }
                else if (Dominates(points[j], points[i])) { dominated[j].Add(i); dominatedBy[i]++; }
            }
        }
        var fronts = new List<int[]>();
        var current = new List<int>();
        for (int i = 0; i < n; i++)
            if (dominatedBy[i] == 0)
                current.Add(i);
        int taken = 0;
        while (current.Count > 0)
        {
            current.Sort();
            fronts.Add(current.ToArray());
            taken += current.Count;
            if (taken >= stopAfter)
                break;
            var next = new List<int>();
            foreach (int i in current)
                foreach (int j in dominated[i])
                    if (--dominatedBy[j] == 0)
                        next.Add(j);
            current = next;
        }
        return fronts;
    }
}
