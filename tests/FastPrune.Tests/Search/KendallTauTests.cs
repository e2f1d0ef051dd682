using FastPrune.Search;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>Kendall's τ-b against pairs counted by hand.</summary>
public sealed class KendallTauTests
{
    [Fact]
    public void Of_HandCountedExample_IsConcordantMinusDiscordantOverPairs()
    {
        // y = 3 1 2 5 4 against x = 1..5: discordant pairs (1,2) (1,3) (4,5), the other 7 concordant: (7 − 3) / 10.
        Assert.Equal(0.4, KendallTau.Of([1, 2, 3, 4, 5], [3, 1, 2, 5, 4]), 12);
    }

    [Fact]
    public void Of_SameAndReversedOrder_IsOneAndMinusOne()
    {
        Assert.Equal(1.0, KendallTau.Of([1, 5, 2, 9], [10, 50, 20, 90]), 12);
        Assert.Equal(-1.0, KendallTau.Of([1, 5, 2, 9], [4, 2, 3, 1]), 12);
    }

    [Fact]
    public void Of_Ties_UsesTauB()
    {
        // x = 1 1 2 3, y = 1 2 2 3: 6 pairs, x ties 1, y ties 1, C = 4 ((1,3) (1,4) (2,4) (3,4)), D = 0: 4 / √(5·5) = 0.8.
        Assert.Equal(0.8, KendallTau.Of([1, 1, 2, 3], [1, 2, 2, 3]), 12);
    }

    [Fact]
    public void Of_BadSamples_Throw()
    {
        Assert.Throws<ArgumentException>(() => KendallTau.Of([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => KendallTau.Of([1], [1]));
        Assert.Throws<ArgumentException>(() => KendallTau.Of([1, 1, 1], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => KendallTau.Of([1, double.NaN], [1, 2]));
    }
}
