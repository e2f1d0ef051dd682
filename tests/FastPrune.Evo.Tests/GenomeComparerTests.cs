namespace FastPrune.Evo.Tests;

public class GenomeComparerTests
{
    [Fact]
    public void Equals_SameValuesInDistinctArrays_EqualWithSameHash()
    {
        int[] a = [16, 8, 32], b = [16, 8, 32];
        Assert.True(GenomeComparer.Instance.Equals(a, b));
        Assert.Equal(GenomeComparer.Instance.GetHashCode(a), GenomeComparer.Instance.GetHashCode(b));
    }

    [Theory]
    [InlineData(new[] { 16, 8, 32 }, new[] { 16, 8, 31 })]
    [InlineData(new[] { 16, 8 }, new[] { 16, 8, 0 })]
    [InlineData(new int[0], new[] { 0 })]
    public void Equals_DifferentValuesOrLengths_NotEqual(int[] a, int[] b)
    {
        Assert.False(GenomeComparer.Instance.Equals(a, b));
        Assert.False(GenomeComparer.Instance.Equals(b, a));
    }

    [Fact]
    public void Equals_NullAgainstGenome_FalseAndNullAgainstNull_True()
    {
        Assert.False(GenomeComparer.Instance.Equals(null, [1]));
        Assert.False(GenomeComparer.Instance.Equals([1], null));
        Assert.True(GenomeComparer.Instance.Equals(null, null));
    }

    [Fact]
    public void GetHashCode_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => GenomeComparer.Instance.GetHashCode(null!));

    [Fact]
    public void Dictionary_KeyedByComparer_FindsGenomeByValue()
    {
        // The search's genome cache relies on this: a genome asked again (a new array) finds its earlier row.
        var known = new Dictionary<int[], string>(GenomeComparer.Instance) { [[4, 2, 1]] = "row 0" };
        Assert.Equal("row 0", known[[4, 2, 1]]);
        Assert.False(known.ContainsKey([4, 2]));
    }
}
