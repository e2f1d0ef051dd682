namespace FastPrune.Evo.Tests;

public class NonDominatedSortingTests
{
    /// <summary>Rank by peeling: a point's rank is one more than the highest rank of any point dominating it,
    /// computed by repeated brute-force scans, independent of the dominance-count bookkeeping under test.</summary>
    private static int[] BruteForceRanks(double[][] p)
    {
        var rank = Enumerable.Repeat(-1, p.Length).ToArray();
        for (int r = 0, left = p.Length; left > 0; r++)
        {
            var now = Enumerable.Range(0, p.Length).Where(i => rank[i] < 0 && !Enumerable.Range(0, p.Length).Any(j =>
                rank[j] < 0 && p[j].Zip(p[i]).All(t => t.First <= t.Second) && p[j].Zip(p[i]).Any(t => t.First < t.Second))).ToList();
            foreach (int i in now)
                rank[i] = r;
            left -= now.Count;
        }
        return rank;
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    public void Sort_RandomPointsWithTies_MatchesBruteForce(int objectives, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = rng.NextInt(1, 120);
            // A coarse grid makes equal coordinates and duplicate points common.
            var p = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, objectives).Select(_ => (double)rng.NextInt(0, 8)).ToArray()).ToArray();
            var fronts = NonDominatedSorting.Sort(p);
            var expected = BruteForceRanks(p);
            Assert.Equal(n, fronts.Sum(f => f.Length));
            for (int f = 0; f < fronts.Count; f++)
            {
                Assert.Equal(fronts[f].Order(), fronts[f]);
                foreach (int i in fronts[f])
                    Assert.Equal(expected[i], f);
            }
        }
    }

    [Fact]
    public void Sort_StopAfter_ReturnsOnlyEnoughFronts()
    {
        double[][] p = [[0, 0], [1, 1], [2, 2], [3, 3]];
        Assert.Equal(2, NonDominatedSorting.Sort(p, 2).Count);
        Assert.Equal(4, NonDominatedSorting.Sort(p).Count);
    }

    [Fact]
    public void Dominates_EqualPoints_False()
    {
        Assert.False(NonDominatedSorting.Dominates([1, 2], [1, 2]));
        Assert.True(NonDominatedSorting.Dominates([1, 1], [1, 2]));
        Assert.False(NonDominatedSorting.Dominates([0, 3], [1, 2]));
    }

    [Fact]
    public void Dominates_LengthMismatch_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Dominates([1, 2], [1]));

    [Fact]
    public void Sort_BadInput_ThrowsExactTypes()
    {
        Assert.Throws<ArgumentNullException>(() => NonDominatedSorting.Sort(null!));
        Assert.Throws<ArgumentNullException>(() => NonDominatedSorting.Sort([[1.0], null!]));
        Assert.Throws<ArgumentException>(() => NonDominatedSorting.Sort([[1.0, 2.0], [1.0]]));
    }
}
