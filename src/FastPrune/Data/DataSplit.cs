namespace FastPrune.Data;

/// <summary>
/// Which samples calibrate (feed the reconstruction) and which evaluate. Both come from one seeded
/// permutation: the first N_calib indices calibrate, the next N_eval evaluate, so the two sets are disjoint,
/// and the same seed always gives the same split. Each set is returned in ascending order (the order does
/// not change the statistics, and ascending reads are sequential in .npy and IDX files).
/// </summary>
/// <param name="Calibration">Sample indices for calibration, ascending.</param>
/// <param name="Evaluation">Sample indices for evaluation, ascending (into the evaluation source when it is separate).</param>
/// <param name="Warnings">One line per shortfall: fewer samples than asked for.</param>
internal sealed record DataSplit(int[] Calibration, int[] Evaluation, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Splits one source of <paramref name="count"/> samples. When it holds fewer than
    /// <paramref name="calibration"/> + <paramref name="evaluation"/>, both sets shrink in proportion to what
    /// was asked (calibration rounded down, each keeping at least one sample where asked and possible) and a
    /// warning says so.
    /// </summary>
    /// <param name="count">Samples in the source.</param>
    /// <param name="calibration">Calibration samples asked for (paper default 1500).</param>
    /// <param name="evaluation">Evaluation samples asked for (paper default 5000).</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or <paramref name="count"/> is zero.</exception>
    public static DataSplit Create(int count, int calibration, int evaluation, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(calibration);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluation);
        var warnings = new List<string>();
        int c = calibration, e = evaluation;
        if ((long)c + e > count)
        {
            c = (int)((long)count * calibration / ((long)calibration + evaluation));
            if (calibration > 0 && c == 0)
            {
                c = 1;
            }
            e = count - c;
            if (evaluation > 0 && e == 0 && c > 1)
            {
                c--;
                e = 1;
            }
            e = Math.Min(e, evaluation);
            warnings.Add($"only {count} images: using {c} for calibration and {e} for evaluation " +
                         $"(asked for {calibration} and {evaluation}, split in proportion)");
        }
        int[] perm = Permutation(count, seed);
        return new DataSplit(Sorted(perm.AsSpan(0, c)), Sorted(perm.AsSpan(c, e)), warnings);
    }

    /// <summary>
    /// Splits two sources: calibration from the first, evaluation from the second, each from its own permutation
    /// seeded with <paramref name="seed"/> alone. The evaluation images are therefore those that
    /// <see cref="Create"/> draws from the second source for evaluation alone (what <c>fastprune eval</c> measures on),
    /// whatever the calibration source. A source with fewer samples than asked gives all it has, with a warning.
    /// </summary>
    /// <param name="calibrationCount">Samples in the calibration source.</param>
    /// <param name="evaluationCount">Samples in the evaluation source.</param>
    /// <param name="calibration">Calibration samples asked for.</param>
    /// <param name="evaluation">Evaluation samples asked for.</param>
    /// <param name="seed">Seed of the permutations.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or a source count is zero.</exception>
    public static DataSplit CreateSeparate(int calibrationCount, int evaluationCount, int calibration, int evaluation, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calibrationCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evaluationCount);
        ArgumentOutOfRangeException.ThrowIfNegative(calibration);
        ArgumentOutOfRangeException.ThrowIfNegative(evaluation);
        var warnings = new List<string>();
        int c = Math.Min(calibration, calibrationCount), e = Math.Min(evaluation, evaluationCount);
        if (c < calibration)
        {
            warnings.Add($"only {calibrationCount} calibration images: using {c} (asked for {calibration})");
        }
        if (e < evaluation)
        {
            warnings.Add($"only {evaluationCount} evaluation images: using {e} (asked for {evaluation})");
        }
        int[] cp = Permutation(calibrationCount, seed);
        int[] ep = Permutation(evaluationCount, seed);
        return new DataSplit(Sorted(cp.AsSpan(0, c)), Sorted(ep.AsSpan(0, e)), warnings);
    }

    // Every permutation comes from its own generator seeded with the seed alone, so a source's draw never depends on
    // what was drawn before it.
    private static int[] Permutation(int n, int seed)
    {
        var rng = new Xoshiro256((ulong)seed);
        var p = new int[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = i;
        }
        rng.Shuffle(p.AsSpan());
        return p;
    }

    private static int[] Sorted(ReadOnlySpan<int> s)
    {
        int[] a = s.ToArray();
        Array.Sort(a);
        return a;
    }
}
