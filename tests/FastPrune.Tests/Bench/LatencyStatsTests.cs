using FastPrune.Runtime;
using Xunit;

namespace FastPrune.Tests.Bench;

public sealed class LatencyStatsTests
{
    [Theory]
    [InlineData(new[] { 5.0, 1, 4, 2, 3 }, 0.5, 3.0)]
    [InlineData(new[] { 5.0, 1, 4, 2, 3 }, 0.25, 2.0)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 0.5, 2.5)]
    [InlineData(new[] { 7.5 }, 0.99, 7.5)]
    [InlineData(new[] { 2.0, 8 }, 1.0, 8.0)]
    [InlineData(new[] { 2.0, 8 }, 0.0, 2.0)]
    public void Quantile_SmallSamples_MatchHandComputedValues(double[] values, double p, double expected)
    {
        Assert.Equal(expected, LatencyStats.Quantile(values, p), 12);
    }

    [Fact]
    public void Quantile_OneToHundredAtP99_IsNumpyDefault()
    {
        double[] values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();

        // numpy.percentile(range(1, 101), 99) = 99.01 (linear interpolation, rank p·(n−1)).
        Assert.Equal(99.01, LatencyStats.Quantile(values, 0.99), 10);
    }

    [Fact]
    public void Quantile_RandomSamples_MatchesFloat64ReferenceAndLeavesInputUnchanged()
    {
        var rng = new Random(77);
        foreach (int n in new[] { 2, 3, 10, 51, 200 })
        {
            double[] values = Enumerable.Range(0, n).Select(_ => 0.5 + (rng.NextDouble() * 100)).ToArray();
            double[] copy = (double[])values.Clone();
            foreach (double p in new[] { 0.0, 0.1, 0.5, 0.9, 0.99, 1.0 })
            {
                // Reference: the order statistics by selection (count of smaller values), not by sorting.
                double rank = p * (n - 1);
                int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
                double Order(int k) => values.Single(v => values.Count(u => u < v) == k);
                double expected = Order(lo) + ((rank - lo) * (Order(hi) - Order(lo)));

                double actual = LatencyStats.Quantile(values, p);

                Assert.True(Math.Abs(actual - expected) / Math.Abs(expected) < 1e-14, $"n={n} p={p}: {actual} vs {expected}");
            }
            Assert.Equal(copy, values);
        }
    }

    [Fact]
    public void Quantile_Empty_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => LatencyStats.Quantile([], 0.5));
    }

    [Fact]
    public void Quantile_NaN_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => LatencyStats.Quantile([1.0, double.NaN, 2.0], 0.5));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Quantile_POutsideUnitInterval_ThrowsArgumentOutOfRange(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStats.Quantile([1.0, 2.0], p));
    }
}
