namespace FastPrune.Search;

/// <summary>
/// The one uniform keep-ratio bisection: the search's target seeds (the uniform genome just under each target) and the
/// benches' uniform-pruning baselines both ask it, so the two cannot disagree on where a uniform genome meets a budget.
/// </summary>
internal static class UniformRatio
{
    /// <summary>The search's bracket: below 1 % every gene sits at its minimum anyway.</summary>
    public const double DefaultLow = 0.01;

    /// <summary>The search's steps: 2^-20 of the bracket, finer than any gene's rounding step.</summary>
    public const int DefaultSteps = 20;

    /// <summary>
    /// The largest keep-ratio in [<paramref name="low"/>, 1] (to the bisection's resolution) whose cost is at most
    /// <paramref name="budget"/>, or <paramref name="low"/> when none is. <paramref name="costAt"/> must not decrease with the
    /// ratio (uniform genomes round, so it rises in steps); it is called once per step, at the midpoint of the bracket.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="low"/> is not in [0, 1) or <paramref name="steps"/> is below 1.</exception>
    public static double LargestUnder(Func<double, double> costAt, double budget, double low = DefaultLow, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(costAt);
        if (!(low >= 0 && low < 1)) throw new ArgumentOutOfRangeException(nameof(low), low, "the low end of the bracket must be in [0, 1)");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        double lo = low, hi = 1;
        for (int i = 0; i < steps; i++)
        {
            double mid = (lo + hi) / 2;
            if (costAt(mid) <= budget) lo = mid; else hi = mid;
        }
        return lo;
    }
}
