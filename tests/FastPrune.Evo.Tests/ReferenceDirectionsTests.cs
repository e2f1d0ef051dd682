namespace FastPrune.Evo.Tests;

public class ReferenceDirectionsTests
{
    private static long Binomial(int n, int k)
    {
        // Pascal's triangle, a different route to C(n, k) than the product formula under test.
        var row = new long[n + 1];
        row[0] = 1;
        for (int i = 1; i <= n; i++)
            for (int j = i; j > 0; j--)
                row[j] += row[j - 1];
        return row[k];
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 12)]
    [InlineData(2, 63)]
    [InlineData(3, 12)]
    [InlineData(5, 6)]
    public void DasDennis_AnySize_CountIsBinomialAndEachSumsToOne(int m, int p)
    {
        var dirs = ReferenceDirections.DasDennis(m, p);
        Assert.Equal(Binomial(p + m - 1, m - 1), dirs.Length);
        Assert.Equal(dirs.Length, ReferenceDirections.Count(m, p));
        var seen = new HashSet<string>();
        foreach (var d in dirs)
        {
            Assert.Equal(m, d.Length);
            Assert.Equal(1.0, d.Sum(), 12);
            foreach (double v in d)
            {
                Assert.InRange(v, 0.0, 1.0);
                Assert.Equal(Math.Round(v * p), v * p, 9);   // a multiple of 1/p
            }
            Assert.True(seen.Add(string.Join(',', d.Select(v => Math.Round(v * p)))));
        }
    }

    [Theory]
    [InlineData(2, 64, 63)]
    [InlineData(3, 64, 9)]
    [InlineData(2, 2, 1)]
    public void PartitionsFor_Population_LargestFitting(int m, int population, int expected) =>
        Assert.Equal(expected, ReferenceDirections.PartitionsFor(m, population));

    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 0)]
    public void DasDennis_NonPositive_ThrowsArgumentOutOfRange(int m, int p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceDirections.DasDennis(m, p));

    [Fact]
    public void DasDennis_TooMany_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceDirections.DasDennis(10, 40));
}
