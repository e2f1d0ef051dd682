namespace FastPrune.Evo;

/// <summary>Das–Dennis reference directions: every point of the unit simplex whose coordinates are multiples of 1/p.</summary>
public static class ReferenceDirections
{
    /// <summary>The number of Das–Dennis directions, C(p + M − 1, M − 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objectives"/> &lt; 1 or <paramref name="partitions"/> &lt; 1.</exception>
    public static long Count(int objectives, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(objectives, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        // C(n, k) built incrementally stays an exact integer at every step: C(n−k+i, i) = C(n−k+i−1, i−1)·(n−k+i)/i.
        long n = partitions + objectives - 1, k = objectives - 1, c = 1;
        for (long i = 1; i <= k; i++)
            c = checked(c * (n - k + i) / i);
        return c;
    }

    /// <summary>The largest partition count whose direction count does not exceed <paramref name="maxDirections"/>
    /// (at least 1): pymoo's advice is about as many directions as the population.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objectives"/> &lt; 1 or <paramref name="maxDirections"/> &lt; 1.</exception>
    public static int PartitionsFor(int objectives, int maxDirections)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(objectives, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDirections, 1);
        if (objectives == 1)
            return 1;
        int p = 1;
        while (Count(objectives, p + 1) <= maxDirections)
            p++;
        return p;
    }

    /// <summary>All directions for <paramref name="objectives"/> objectives and <paramref name="partitions"/> partitions,
    /// each summing to 1, in lexicographic order of their integer numerators.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objectives"/> &lt; 1, <paramref name="partitions"/> &lt; 1,
    /// or more than 1,000,000 directions.</exception>
    public static double[][] DasDennis(int objectives, int partitions)
    {
        long count = Count(objectives, partitions);
        if (count > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, $"gives {count} directions; at most 1,000,000 are allowed.");
        var result = new double[count][];
        // An odometer over the first M − 1 numerators (their sum ≤ p); the last numerator takes what remains.
        var numerators = new int[objectives];
        int sum = 0;
        for (int r = 0; ; r++)
        {
            var d = new double[objectives];
            for (int i = 0; i < objectives - 1; i++)
                d[i] = numerators[i] / (double)partitions;
            d[objectives - 1] = (partitions - sum) / (double)partitions;
            result[r] = d;
            int j = objectives - 2;
            while (j >= 0 && sum == partitions)
            {
                sum -= numerators[j];
                numerators[j] = 0;
                j--;
            }
            if (j < 0)
                return result;
            numerators[j]++;
            sum++;
        }
    }
}
