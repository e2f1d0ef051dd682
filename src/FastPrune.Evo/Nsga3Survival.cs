namespace FastPrune.Evo;

/// <summary>
/// NSGA-III environmental selection (Deb and Jain 2014, §IV; pymoo's <c>ReferenceDirectionSurvival</c>): fill the
/// next population front by front; split the last front by associating every point with its nearest reference
/// direction (perpendicular distance in normalised space) and repeatedly giving a slot to the least crowded
/// direction. Optionally protects, per objective-0 target, the best points whose objective 0 is within the target,
/// so the front keeps covering the budgets the caller cares about even when the normalised spread would not.
/// </summary>
public sealed partial class Nsga3Survival
{
    private readonly double[][] _unitDirections;
    private readonly double[] _targets;

    /// <summary>Creates the survival for a set of reference directions.</summary>
    /// <param name="referenceDirections">Directions in objective space (e.g. <see cref="ReferenceDirections.DasDennis"/>), non-zero, one length.</param>
    /// <param name="objective0Targets">Upper bounds on objective 0; each protects its best points (may be empty).</param>
    /// <param name="protectedPerTarget">How many points to protect under each target (the best by objective 1, then objective 0).</param>
    /// <param name="directionsPerTarget">Extra reference directions fanned around each target's aspiration point (0: none).</param>
    /// <param name="targetSpread">Width of that fan on the unit simplex (R-NSGA-III's μ), in (0, 1].</param>
    /// <exception cref="ArgumentNullException">An argument or direction is null.</exception>
    /// <exception cref="ArgumentException">No directions, directions of different lengths, a zero or negative direction,
    /// a non-finite target, or targets with fewer than 2 objectives.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="protectedPerTarget"/> or <paramref name="directionsPerTarget"/>
    /// &lt; 0, or <paramref name="targetSpread"/> outside (0, 1].</exception>
    public Nsga3Survival(IReadOnlyList<double[]> referenceDirections, IReadOnlyList<double>? objective0Targets = null,
        int protectedPerTarget = 1, int directionsPerTarget = 0, double targetSpread = 0.1)
    {
        ArgumentNullException.ThrowIfNull(referenceDirections);
        ArgumentOutOfRangeException.ThrowIfNegative(protectedPerTarget);
        ArgumentOutOfRangeException.ThrowIfNegative(directionsPerTarget);
        if (!(targetSpread > 0 && targetSpread <= 1))
            throw new ArgumentOutOfRangeException(nameof(targetSpread), targetSpread, "must be in (0, 1].");
        if (referenceDirections.Count == 0)
            throw new ArgumentException("At least one reference direction is needed.", nameof(referenceDirections));
        int m = referenceDirections[0]?.Length ?? throw new ArgumentNullException(nameof(referenceDirections));
        _unitDirections = new double[referenceDirections.Count][];
        for (int r = 0; r < _unitDirections.Length; r++)
        {
            var d = referenceDirections[r] ?? throw new ArgumentNullException(nameof(referenceDirections));
            if (d.Length != m)
                throw new ArgumentException("Reference directions differ in length.", nameof(referenceDirections));
            double norm = Math.Sqrt(d.Sum(v => v * v));
            if (!(norm > 0) || d.Any(v => v < 0 || !double.IsFinite(v)))
                throw new ArgumentException($"Reference direction {r} must be finite, non-negative and non-zero.", nameof(referenceDirections));
            _unitDirections[r] = d.Select(v => v / norm).ToArray();
        }
        _targets = (objective0Targets ?? []).ToArray();
        if (_targets.Any(t => !double.IsFinite(t)))
            throw new ArgumentException("Targets must be finite.", nameof(objective0Targets));
        if (_targets.Length > 0 && m < 2)
            throw new ArgumentException("Objective-0 targets need a second objective to rank by.", nameof(objective0Targets));
        Array.Sort(_targets);
        ProtectedPerTarget = protectedPerTarget;
        DirectionsPerTarget = directionsPerTarget;
        TargetSpread = targetSpread;
        Normalization = new HyperplaneNormalization(m);
    }

    /// <summary>The number of objectives.</summary>
    public int ObjectiveCount => _unitDirections[0].Length;

    /// <summary>How many points are protected under each target.</summary>
    public int ProtectedPerTarget { get; }

    /// <summary>Extra reference directions fanned around each target's aspiration point.</summary>
    public int DirectionsPerTarget { get; }

    /// <summary>Width of the fan of extra directions on the unit simplex.</summary>
    public double TargetSpread { get; }

    /// <summary>The normalisation state, carried across generations.</summary>
    public HyperplaneNormalization Normalization { get; }

    /// <summary>Chooses <paramref name="count"/> survivors among <paramref name="points"/>.</summary>
    /// <param name="points">Objective vectors of parents and offspring together.</param>
    /// <param name="count">How many survive (all do when there are no more points than this).</param>
    /// <param name="rng">Breaks ties among equally crowded directions.</param>
    /// <param name="ranks">The non-domination rank (front index) of every point.</param>
    /// <returns>Indices into <paramref name="points"/>, ascending.</returns>
    /// <exception cref="ArgumentException">No points, or a vector of the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> &lt; 1.</exception>
    public int[] Select(IReadOnlyList<double[]> points, int count, Xoshiro256StarStar rng, out int[] ranks)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (points.Count == 0)
            throw new ArgumentException("Nothing to select from.", nameof(points));
        int n = points.Count, m = ObjectiveCount;
        if (points.Any(p => p is null || p.Length != m))
            throw new ArgumentException($"Every point needs {m} objectives.", nameof(points));

        var fronts = NonDominatedSorting.Sort(points);
        ranks = new int[n];
        for (int f = 0; f < fronts.Count; f++)
            foreach (int i in fronts[f])
                ranks[i] = f;
        Normalization.Update(points, fronts[0]);
        if (n <= count)
            return Enumerable.Range(0, n).ToArray();

        var chosen = new bool[n];
        int taken = Protect(points, chosen, count, out var bestUnder);
        var lastFront = new List<int>();
        foreach (var front in fronts)
        {
            var open = front.Where(i => !chosen[i]).ToList();
            if (taken + open.Count <= count)
            {
                foreach (int i in open)
                    chosen[i] = true;
                taken += open.Count;
                if (taken == count)
                    break;
            }
            else
            {
                lastFront = open;
                break;
            }
        }
        if (taken < count)
            Niche(points, chosen, lastFront, count - taken, rng, Directions(points, bestUnder), Normalization);
        return Enumerable.Range(0, n).Where(i => chosen[i]).ToArray();
    }

    private static void Niche(IReadOnlyList<double[]> points, bool[] chosen, List<int> lastFront, int remaining, Xoshiro256StarStar rng,
        double[][] directions, HyperplaneNormalization normalization)
    {
        int n = points.Count, m = directions[0].Length;
        var niche = new int[n];
        var distance = new double[n];
        var normalized = new double[m];
        for (int i = 0; i < n; i++)
        {
            normalization.Normalize(points[i], normalized);
            (niche[i], distance[i]) = Associate(normalized, directions);
        }
        var nicheCount = new int[directions.Length];
        for (int i = 0; i < n; i++)
            if (chosen[i])
                nicheCount[niche[i]]++;

        var open = new List<int>(lastFront);
        while (remaining > 0)
        {
            // The least crowded directions that still have a candidate, visited in random order.
            var candidatesNiches = open.Select(i => niche[i]).Distinct().OrderBy(d => d).ToArray();
            int least = candidatesNiches.Min(d => nicheCount[d]);
            var next = candidatesNiches.Where(d => nicheCount[d] == least).ToArray();
            rng.Shuffle(next.AsSpan());
            foreach (int d in next.Take(remaining))
            {
                var members = open.Where(i => niche[i] == d).ToArray();
                rng.Shuffle(members.AsSpan());
                // An empty direction takes its closest point (the paper's rule); a populated one a random point.
                int pick = members[0];
                if (nicheCount[d] == 0)
                    foreach (int i in members)
                        if (distance[i] < distance[pick])
                            pick = i;
                chosen[pick] = true;
                open.Remove(pick);
                nicheCount[d]++;
                remaining--;
            }
        }
    }

    private static (int Niche, double Distance) Associate(ReadOnlySpan<double> f, double[][] directions)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        double norm2 = 0;
        foreach (double v in f)
            norm2 += v * v;
        for (int r = 0; r < directions.Length; r++)
        {
            var u = directions[r];
            double dot = 0;
            for (int j = 0; j < f.Length; j++)
                dot += f[j] * u[j];
            // ‖f − (f·u)u‖² = ‖f‖² − (f·u)² for a unit u; clamp the rounding error below zero.
            double d = Math.Sqrt(Math.Max(0, norm2 - dot * dot));
            if (d < bestDistance)
            {
                bestDistance = d;
                best = r;
            }
        }
        return (best, bestDistance);
    }
}
