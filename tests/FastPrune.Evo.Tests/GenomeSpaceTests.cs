namespace FastPrune.Evo.Tests;

public class GenomeSpaceTests
{
    [Fact]
    public void Count_StepNotDividingRange_StopsBelowMax()
    {
        var g = new IntGene("a", 8, 30, 8);
        Assert.Equal(3, g.Count);          // 8, 16, 24
        Assert.Equal(24, g.Top);
        Assert.Equal(2, g.IndexOf(24));
        Assert.Equal(-1, g.IndexOf(30));
        Assert.Equal(-1, g.IndexOf(12));
        Assert.Equal(-1, g.IndexOf(0));
    }

    [Theory]
    [InlineData(-0.7, 8)]
    [InlineData(0.49, 8)]
    [InlineData(0.5, 16)]
    [InlineData(1.6, 24)]
    [InlineData(9.0, 24)]
    public void Snap_RealIndex_NearestGridValueClamped(double k, int expected) =>
        Assert.Equal(expected, new IntGene("a", 8, 30, 8).Snap(k));

    [Fact]
    public void Constructor_MinGreaterThanMax_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GenomeSpace([new IntGene("a", 5, 4, 1)]));

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Constructor_NonPositiveStep_ThrowsArgument(int step) =>
        Assert.Throws<ArgumentException>(() => new GenomeSpace([new IntGene("a", 0, 4, step)]));

    [Fact]
    public void Constructor_BlankName_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GenomeSpace([new IntGene(" ", 0, 4, 1)]));

    [Fact]
    public void Constructor_DuplicateNames_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GenomeSpace([new IntGene("a", 0, 4, 1), new IntGene("a", 0, 4, 1)]));

    [Fact]
    public void Constructor_NoGenes_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GenomeSpace([]));

    [Fact]
    public void Constructor_NullGenes_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new GenomeSpace(null!));
        Assert.Throws<ArgumentNullException>(() => new GenomeSpace([null!]));
    }

    [Fact]
    public void Validate_BadGenomes_ThrowExactTypes()
    {
        var space = new GenomeSpace([new IntGene("a", 0, 10, 2), new IntGene("b", 1, 3, 1)]);
        space.Validate([4, 3]);
        Assert.Throws<ArgumentNullException>(() => space.Validate(null!));
        Assert.Throws<ArgumentException>(() => space.Validate([4]));
        Assert.Throws<ArgumentException>(() => space.Validate([5, 3]));
        Assert.Throws<ArgumentException>(() => space.Validate([12, 3]));
        Assert.Throws<ArgumentException>(() => space.Validate([4, 0]));
    }

    [Fact]
    public void Sample_ManyDraws_OnGridAndCoveringEveryValue()
    {
        var space = new GenomeSpace([new IntGene("a", 0, 10, 2), new IntGene("b", -3, 3, 3)]);
        Assert.Equal(18, space.Size);
        var rng = new Xoshiro256StarStar(5);
        var seen = new HashSet<int[]>(GenomeComparer.Instance);
        for (int i = 0; i < 2000; i++)
        {
            var g = space.Sample(rng);
            space.Validate(g);
            seen.Add(g);
        }
        Assert.Equal(18, seen.Count);
    }
}
