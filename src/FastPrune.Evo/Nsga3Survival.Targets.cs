namespace FastPrune.Evo;

// Objective-0 targets: protection of the best points under each target, and the optional fan of extra reference
// directions around each target's aspiration point.
public sealed partial class Nsga3Survival
{
    /// <summary>Marks, for each target, the best points within it; returns how many were marked (at most count − 1, so
    /// niching still has a say).</summary>
    private int Protect(IReadOnlyList<double[]> points, bool[] chosen, int count, out List<(double Target, int Best)> bestUnder)
    {
        int taken = 0;
        bestUnder = [];
        if (_targets.Length == 0)
            return 0;
        var order = Enumerable.Range(0, points.Count)
            .OrderBy(i => points[i][1]).ThenBy(i => points[i][0]).ThenBy(i => i).ToArray();
        foreach (double t in _targets)
        {
            int marked = 0;
            int best = Array.FindIndex(order, i => points[i][0] <= t);
            if (best >= 0)
                bestUnder.Add((t, order[best]));
            foreach (int i in order)
            {
                if (marked >= ProtectedPerTarget || taken == count - 1)
                    break;
                if (points[i][0] > t)
                    continue;
                marked++;   // counts points already protected by a tighter target too: they serve this one as well
                if (!chosen[i])
                {
                    chosen[i] = true;
                    taken++;
                }
            }
        }
        return taken;
    }

    /// <summary>
    /// The base directions plus, per target with a point under it, a fan around the aspiration point (objective 0 at
    /// the target, the other objectives at the best point under it), as R-NSGA-III does for a decision maker's
    /// reference points: the extra niches pull survivors, hence parents, towards the budgets that matter.
    /// </summary>
    private double[][] Directions(IReadOnlyList<double[]> points, List<(double Target, int Best)> bestUnder)
    {
        if (DirectionsPerTarget == 0 || bestUnder.Count == 0)
            return _unitDirections;
        int m = ObjectiveCount;
        var fan = ReferenceDirections.DasDennis(m, Math.Max(1, ReferenceDirections.PartitionsFor(m, DirectionsPerTarget)));
        var dirs = new List<double[]>(_unitDirections);
        var a = new double[m];
        foreach (var (t, best) in bestUnder)
        {
            Normalization.Normalize(points[best], a);
            var z = new double[m];
            Normalization.Normalize(Enumerable.Repeat(t, m).ToArray(), z);
            a[0] = z[0];
            for (int j = 0; j < m; j++)
                a[j] = Math.Max(a[j], 1e-6);
            double sum = a.Sum();
            foreach (var f in fan.Take(DirectionsPerTarget))
            {
                var d = new double[m];
                double norm = 0;
                for (int j = 0; j < m; j++)
                {
                    d[j] = Math.Max(0, a[j] / sum + TargetSpread * (fan.Length == 1 ? 0 : f[j] - 1.0 / m));
                    norm += d[j] * d[j];
                }
                norm = Math.Sqrt(norm);
                if (norm > 0)
                    dirs.Add(d.Select(v => v / norm).ToArray());
            }
        }
        return dirs.ToArray();
    }
}
