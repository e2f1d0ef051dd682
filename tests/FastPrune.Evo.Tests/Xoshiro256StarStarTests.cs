namespace FastPrune.Evo.Tests;

public class Xoshiro256StarStarTests
{
    [Theory]
    // Reference values from an independent Python transcription of the authors' C code seeded by SplitMix64.
    [InlineData(0UL, 0x99ec5f36cb75f2b4UL, 0xbf6e1f784956452aUL, 0x1a5f849d4933e6e0UL, 0x6aa594f1262d2d2cUL)]
    [InlineData(42UL, 0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL, 0xecb8ad4703b360a1UL)]
    public void NextUInt64_KnownSeed_MatchesReferenceStream(ulong seed, ulong a, ulong b, ulong c, ulong d)
    {
        var rng = new Xoshiro256StarStar(seed);
        Assert.Equal([a, b, c, d], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void NextDouble_ManyDraws_InUnitIntervalWithMeanOneHalf()
    {
        var rng = new Xoshiro256StarStar(7);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double u = rng.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999999999);
            sum += u;
        }
        Assert.InRange(sum / 100_000, 0.497, 0.503);
    }

    [Fact]
    public void NextInt_SmallRange_EveryValueEquallyLikely()
    {
        var rng = new Xoshiro256StarStar(11);
        var counts = new int[7];
        const int draws = 70_000;
        for (int i = 0; i < draws; i++)
            counts[rng.NextInt(-3, 4) + 3]++;
        // Chi-square with 6 degrees of freedom: 22.46 is the 0.999 quantile.
        double chi = counts.Sum(c => Math.Pow(c - draws / 7.0, 2) / (draws / 7.0));
        Assert.True(chi < 22.46, $"chi-square {chi}");
    }

    [Fact]
    public void NextInt_FullIntRange_StaysInRange()
    {
        var rng = new Xoshiro256StarStar(3);
        for (int i = 0; i < 1000; i++)
            Assert.InRange(rng.NextInt(int.MinValue, int.MaxValue), int.MinValue, int.MaxValue - 1);
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(5, 4)]
    public void NextInt_EmptyRange_ThrowsArgumentOutOfRange(int min, int max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Xoshiro256StarStar(1).NextInt(min, max));

    [Fact]
    public void Shuffle_Array_IsPermutationAndSeedDetermined()
    {
        var a = Enumerable.Range(0, 50).ToArray();
        var b = Enumerable.Range(0, 50).ToArray();
        new Xoshiro256StarStar(9).Shuffle(a.AsSpan());
        new Xoshiro256StarStar(9).Shuffle(b.AsSpan());
        Assert.Equal(a, b);
        Assert.NotEqual(Enumerable.Range(0, 50), a);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
    }
}
