namespace FastPrune.Evo.Tests;

public class RandomSearchTests
{
    [Fact]
    public void Run_Defaults_PaperBudgetDistinctGenomesSeedsFirst()
    {
        int[] seed = [1, 2, 3, 4, 5];
        var search = new RandomSearch(TestProblems.Space(5), 2, new SearchOptions { InitialGenomes = [seed] }, new Xoshiro256StarStar(3));
        var history = TestProblems.Run(search, TestProblems.Zdt1);
        Assert.Equal(1564, history.Count);
        Assert.Equal(30, search.Generation);
        Assert.Equal(seed, history[0].Genome);
        Assert.Equal(1564, history.Select(e => e.Genome).ToHashSet(GenomeComparer.Instance).Count);
    }

    [Fact]
    public void Run_Uniform_EveryGeneValueDrawnAboutEquallyOften()
    {
        var space = new GenomeSpace([new IntGene("a", 0, 9, 1), new IntGene("b", 0, 999, 1)]);
        var history = TestProblems.Run(new RandomSearch(space, 1, new SearchOptions(), new Xoshiro256StarStar(4)), g => [g[0]]);
        var counts = history.GroupBy(e => e.Genome[0]).Select(g => g.Count()).ToArray();
        Assert.Equal(10, counts.Length);
        double chi = counts.Sum(c => Math.Pow(c - 156.4, 2) / 156.4);
        Assert.True(chi < 27.88, $"chi-square {chi}");   // 0.999 quantile, 9 degrees of freedom
    }

    [Fact]
    public void Replay_History_SameContinuation()
    {
        var space = TestProblems.Space(3);
        var options = new SearchOptions { PopulationSize = 10, OffspringPerGeneration = 5, Generations = 6 };
        var full = TestProblems.Run(new RandomSearch(space, 2, options, new Xoshiro256StarStar(9)), TestProblems.Zdt1);
        var resumed = new RandomSearch(space, 2, options, new Xoshiro256StarStar(9));
        Assert.Equal(20, resumed.Replay(full.Take(20).ToList()));
        var rest = TestProblems.Run(resumed, TestProblems.Zdt1);
        Assert.Equal(full.Select(e => string.Join(',', e.Genome)), rest.Select(e => string.Join(',', e.Genome)));
    }

    [Fact]
    public void Constructor_BadArguments_ThrowExactTypes()
    {
        var rng = new Xoshiro256StarStar(1);
        Assert.Throws<ArgumentNullException>(() => new RandomSearch(TestProblems.Space(2), 2, null!, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSearch(TestProblems.Space(2), 2, new SearchOptions { PopulationSize = 1 }, rng));
        Assert.Throws<ArgumentException>(() => new RandomSearch(TestProblems.Space(2), 2, new SearchOptions { InitialGenomes = [[5]] }, rng));
    }
}
