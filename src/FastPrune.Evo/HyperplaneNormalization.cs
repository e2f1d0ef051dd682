namespace FastPrune.Evo;

/// <summary>
/// NSGA-III's adaptive normalisation (Deb and Jain 2014, §IV-C, as pymoo implements it): the ideal point is the
/// best value seen per objective, the extreme points minimise the achievement scalarising function along each
/// axis, and the hyperplane through them gives the intercepts that become the nadir point. The state persists
/// across generations, like pymoo's, so extreme points are only replaced by better ones.
/// </summary>
public sealed class HyperplaneNormalization
{
    private readonly int _m;
    private readonly double[] _ideal;
    private readonly double[] _worst;
    private double[][]? _extremes;

    /// <summary>Starts with no history.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objectives"/> &lt; 1.</exception>
    public HyperplaneNormalization(int objectives)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(objectives, 1);
        _m = objectives;
        _ideal = Enumerable.Repeat(double.PositiveInfinity, objectives).ToArray();
        _worst = Enumerable.Repeat(double.NegativeInfinity, objectives).ToArray();
    }

    /// <summary>The best value seen per objective.</summary>
    public IReadOnlyList<double> Ideal => _ideal;

    /// <summary>The nadir estimate from the last <see cref="Update"/>.</summary>
    public double[] Nadir { get; private set; } = [];

    /// <summary>True when the last update could not use the hyperplane (singular or degenerate) and fell back
    /// to the worst point of the first front.</summary>
    public bool FellBack { get; private set; }

    /// <summary>Updates ideal, extreme and nadir points from a population and its first front.</summary>
    /// <param name="points">The objective vectors of the whole population being sorted.</param>
    /// <param name="front">Indices into <paramref name="points"/> of the non-dominated front.</param>
    /// <exception cref="ArgumentException">No points, an empty front, or vectors of the wrong length.</exception>
    public void Update(IReadOnlyList<double[]> points, IReadOnlyList<int> front)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(front);
        if (points.Count == 0 || front.Count == 0)
            throw new ArgumentException("Normalisation needs at least one point in the front.", nameof(front));
        var worstOfPopulation = Enumerable.Repeat(double.NegativeInfinity, _m).ToArray();
        foreach (var p in points)
        {
            if (p.Length != _m)
                throw new ArgumentException($"A point has {p.Length} objectives, not {_m}.", nameof(points));
            for (int j = 0; j < _m; j++)
            {
                _ideal[j] = Math.Min(_ideal[j], p[j]);
                _worst[j] = Math.Max(_worst[j], p[j]);
                worstOfPopulation[j] = Math.Max(worstOfPopulation[j], p[j]);
            }
        }
        var worstOfFront = Enumerable.Repeat(double.NegativeInfinity, _m).ToArray();
        foreach (int i in front)
            for (int j = 0; j < _m; j++)
                worstOfFront[j] = Math.Max(worstOfFront[j], points[i][j]);

        _extremes = ExtremePoints(points, front);
        var nadir = Intercepts(_extremes);
        FellBack = nadir is null;
        nadir ??= worstOfFront;
        for (int j = 0; j < _m; j++)
        {
            // A range this small would blow up the normalised values; widen it to the whole population.
            if (nadir[j] - _ideal[j] <= 1e-6)
                nadir[j] = worstOfPopulation[j];
        }
        Nadir = nadir;
    }

    /// <summary>Writes (f − ideal) / (nadir − ideal) into <paramref name="destination"/>; a zero range divides by 1e-10
    /// instead, since then every point shares the value and only the other objectives matter.</summary>
    public void Normalize(ReadOnlySpan<double> f, Span<double> destination)
    {
        for (int j = 0; j < _m; j++)
        {
            double range = Nadir[j] - _ideal[j];
            destination[j] = (f[j] - _ideal[j]) / (range > 0 ? range : 1e-10);
        }
    }

    private double[][] ExtremePoints(IReadOnlyList<double[]> points, IReadOnlyList<int> front)
    {
        // Candidates: the previous extreme points and the current front, all relative to the new ideal point.
        var candidates = new List<double[]>();
        if (_extremes is not null)
            candidates.AddRange(_extremes);
        foreach (int i in front)
            candidates.Add(points[i]);
        var result = new double[_m][];
        for (int axis = 0; axis < _m; axis++)
        {
            double best = double.PositiveInfinity;
            foreach (var c in candidates)
            {
                // ASF with weight 1 on the axis and 1e-6 elsewhere: max_j (f_j − z_j) / w_j, values under 1e-3 treated as 0.
                double asf = double.NegativeInfinity;
                for (int j = 0; j < _m; j++)
                {
                    double v = c[j] - _ideal[j];
                    if (v < 1e-3) v = 0;
                    asf = Math.Max(asf, v / (j == axis ? 1.0 : 1e-6));
                }
                if (asf < best)
                {
                    best = asf;
                    result[axis] = c;
                }
            }
        }
        return result;
    }

    /// <summary>The nadir point ideal + intercepts of the hyperplane through the extreme points, or null when the
    /// system is singular, ill-conditioned or gives an intercept ≤ 1e-6.</summary>
    private double[]? Intercepts(double[][] extremes)
    {
        var a = new double[_m, _m];
        for (int i = 0; i < _m; i++)
            for (int j = 0; j < _m; j++)
                a[i, j] = extremes[i][j] - _ideal[j];
        var plane = LinearSystem.Solve(a, Enumerable.Repeat(1.0, _m).ToArray());
        if (plane is null)
            return null;
        // Check the residual, as pymoo does, since near-singular systems solve to garbage without failing.
        for (int i = 0; i < _m; i++)
        {
            double row = 0;
            for (int j = 0; j < _m; j++)
                row += (extremes[i][j] - _ideal[j]) * plane[j];
            if (Math.Abs(row - 1) > 1e-5 + 1e-8)
                return null;
        }
        var nadir = new double[_m];
        for (int j = 0; j < _m; j++)
        {
            double intercept = 1 / plane[j];
            if (!(intercept > 1e-6) || double.IsInfinity(intercept))
                return null;
            // Never beyond the worst value seen: an intercept past it only stretches empty space.
            nadir[j] = Math.Min(_ideal[j] + intercept, _worst[j]);
        }
        return nadir;
    }
}
