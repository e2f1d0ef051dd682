using FastPrune.Evo.Operators;

namespace FastPrune.Evo.Tests;

public class Nsga3AskTellTests
{
    private static readonly GenomeSpace Space8 = TestProblems.Space(8);
    private static Nsga3Options Small => new() { PopulationSize = 16, OffspringPerGeneration = 12, Generations = 10 };

    private static bool SameHistory(IReadOnlyList<Evaluated> a, IReadOnlyList<Evaluated> b) =>
        a.Count == b.Count && a.Zip(b).All(t => t.First.Genome.SequenceEqual(t.Second.Genome) && t.First.Objectives.SequenceEqual(t.Second.Objectives));

    [Fact]
    public void Run_SameSeed_IdenticalHistory()
    {
        var a = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(7)), TestProblems.Zdt1);
        var b = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(7)), TestProblems.Zdt1);
        Assert.Equal(16 + 10 * 12, a.Count);
        Assert.True(SameHistory(a, b));
    }

    [Fact]
    public void Run_DifferentSeeds_DifferentHistory()
    {
        var a = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(7)), TestProblems.Zdt1);
        var b = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(8)), TestProblems.Zdt1);
        Assert.False(SameHistory(a, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(16 + 3 * 12)]
    [InlineData(16 + 3 * 12 + 5)]   // a checkpoint taken mid-batch
    public void Replay_PrefixThenContinue_SameFullHistory(int prefix)
    {
        var options = Small with { Objective0Targets = [0.3] };
        var full = TestProblems.Run(new Nsga3(Space8, 2, options, new Xoshiro256StarStar(3)), TestProblems.Dtlz2);

        var resumed = new Nsga3(Space8, 2, options, new Xoshiro256StarStar(3));
        int told = resumed.Replay(full.Take(prefix).ToList());
        Assert.Equal(prefix - (prefix == 16 + 3 * 12 + 5 ? 5 : 0), told);
        if (told < prefix)
        {
            // The partial batch is pending: asking returns it, starting with the recorded genomes.
            var pending = resumed.Ask();
            Assert.True(full.Skip(told).Take(5).All(r => pending.Any(g => g.SequenceEqual(r.Genome))));
        }
        var rest = TestProblems.Run(resumed, TestProblems.Dtlz2);
        Assert.True(SameHistory(full, rest));
    }

    [Fact]
    public void Replay_OtherSeedsHistory_ThrowsInvalidOperation()
    {
        var other = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(4)), TestProblems.Zdt1);
        Assert.Throws<InvalidOperationException>(() => new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(5)).Replay(other));
    }

    [Fact]
    public void Replay_AlteredObjectives_ThrowsInvalidOperation()
    {
        var full = TestProblems.Run(new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(4)), TestProblems.Zdt1);
        // Different objectives steer survival elsewhere, so a later batch no longer matches the record.
        var altered = full.Select(e => new Evaluated(e.Genome, [e.Objectives[1], e.Objectives[0]])).ToList();
        var search = new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(4));
        Assert.Throws<InvalidOperationException>(() => search.Replay(full.Take(16).Concat(altered.Skip(16)).ToList()));
    }

    [Fact]
    public void Run_SmallSpace_EveryGenomeAskedExactlyOnceThenDone()
    {
        var space = new GenomeSpace([new IntGene("a", 0, 4, 1), new IntGene("b", 1, 9, 2), new IntGene("c", 2, 8, 3)]);
        Assert.Equal(75, space.Size);
        var search = new Nsga3(space, 2, new Nsga3Options(), new Xoshiro256StarStar(1));
        var history = TestProblems.Run(search, g => [g[0] + g[1], 20 - g[1] - g[2]]);
        Assert.Equal(75, history.Count);
        Assert.Equal(75, history.Select(e => e.Genome).ToHashSet(GenomeComparer.Instance).Count);
        Assert.True(search.IsDone);
        Assert.Empty(search.Ask());
    }

    [Fact]
    public void Run_PaperDefaults_NoDuplicateAndBudgetRespected()
    {
        var history = TestProblems.Run(new Nsga3(TestProblems.Space(5), 2, new Nsga3Options { Budget = 700 }, new Xoshiro256StarStar(2)), TestProblems.Zdt1);
        Assert.Equal(700, history.Count);
        Assert.Equal(700, history.Select(e => e.Genome).ToHashSet(GenomeComparer.Instance).Count);
    }

    [Fact]
    public void Ask_Twice_SameBatchAndGenerationCounts()
    {
        var search = new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(6));
        var first = search.Ask();
        Assert.Equal(16, first.Count);
        Assert.True(first.Zip(search.Ask()).All(t => t.First.SequenceEqual(t.Second)));
        search.Tell(first.Reverse().Select(g => new Evaluated(g, TestProblems.Zdt1(g))).ToList());   // any order
        Assert.Equal(0, search.Generation);
        var second = search.Ask();
        Assert.Equal(12, second.Count);
        search.Tell(second.Select(g => new Evaluated(g, TestProblems.Zdt1(g))).ToList());
        Assert.Equal(1, search.Generation);
        Assert.Equal(28, search.Evaluations);
        Assert.True(search.History.Take(16).Select(e => e.Genome).Zip(first).All(t => t.First.SequenceEqual(t.Second)));
    }

    [Fact]
    public void InitialGenomes_Given_AskedFirstWithoutDuplicates()
    {
        int[] s1 = [500, 0, 0, 0, 0, 0, 0, 0], s2 = [1000, 1, 2, 3, 4, 5, 6, 7];
        var search = new Nsga3(Space8, 2, Small with { InitialGenomes = [s1, s2, (int[])s1.Clone()] }, new Xoshiro256StarStar(6));
        var batch = search.Ask();
        Assert.Equal(16, batch.Count);
        Assert.Equal(s1, batch[0]);
        Assert.Equal(s2, batch[1]);
        Assert.Equal(16, batch.ToHashSet(GenomeComparer.Instance).Count);
    }

    [Fact]
    public void Tell_BadResults_ThrowExactTypes()
    {
        var search = new Nsga3(Space8, 2, Small, new Xoshiro256StarStar(6));
        Assert.Throws<InvalidOperationException>(() => search.Tell([]));
        var batch = search.Ask();
        var good = batch.Select(g => new Evaluated(g, TestProblems.Zdt1(g))).ToList();
        Assert.Throws<ArgumentNullException>(() => search.Tell(null!));
        Assert.Throws<ArgumentException>(() => search.Tell(good.Skip(1).ToList()));
        Assert.Throws<ArgumentException>(() => search.Tell(good.Skip(1).Append(good[1]).ToList()));
        Assert.Throws<ArgumentException>(() => search.Tell(good.Skip(1).Append(new Evaluated([1, 1, 1, 1, 1, 1, 1, 1], [0, 0])).ToList()));
        Assert.Throws<ArgumentException>(() => search.Tell(good.Skip(1).Append(new Evaluated(batch[0], [0])).ToList()));
        Assert.Throws<ArgumentException>(() => search.Tell(good.Skip(1).Append(new Evaluated(batch[0], [0, double.NaN])).ToList()));
        Assert.Throws<ArgumentNullException>(() => search.Tell(good.Skip(1).Append(new Evaluated(batch[0], null!)).ToList()));
        search.Tell(good);   // failed tells changed nothing
        Assert.Equal(16, search.Evaluations);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowExactTypes()
    {
        var rng = new Xoshiro256StarStar(1);
        Assert.Throws<ArgumentNullException>(() => new Nsga3(null!, 2, Small, rng));
        Assert.Throws<ArgumentNullException>(() => new Nsga3(Space8, 2, null!, rng));
        Assert.Throws<ArgumentNullException>(() => new Nsga3(Space8, 2, Small, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 0, Small, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { PopulationSize = 1 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { OffspringPerGeneration = 0 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { Generations = 0 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { Budget = 0 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { MaxDuplicateTries = 0 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { Partitions = -1 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { ProtectedPerTarget = -1 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { DirectionsPerTarget = -1 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { TargetSpread = 0 }, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga3(Space8, 2, Small with { TargetSpread = 1.5 }, rng));
        Assert.Throws<ArgumentNullException>(() => new Nsga3(Space8, 2, Small with { Crossover = null! }, rng));
        Assert.Throws<ArgumentNullException>(() => new Nsga3(Space8, 2, Small with { Mutation = null! }, rng));
        Assert.Throws<ArgumentException>(() => new Nsga3(Space8, 2, Small with { Objective0Targets = [double.PositiveInfinity] }, rng));
        Assert.Throws<ArgumentException>(() => new Nsga3(Space8, 1, Small with { Objective0Targets = [0.5] }, rng));
        Assert.Throws<ArgumentException>(() => new Nsga3(Space8, 2, Small with { InitialGenomes = [new int[3]] }, rng));
        Assert.Throws<ArgumentException>(() => new Nsga3(Space8, 2, Small with { InitialGenomes = [[1001, 0, 0, 0, 0, 0, 0, 0]] }, rng));
        Assert.Throws<ArgumentException>(() => new Nsga3(Space8, 2, Small with { InitialGenomes = Enumerable.Range(0, 17).Select(i => new int[8]).ToArray() }, rng));
        Assert.Throws<ArgumentNullException>(() => new Nsga3(Space8, 2, Small with { InitialGenomes = [null!] }, rng));
    }

    [Fact]
    public void Operators_BadProbabilities_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerSbxCrossover(probability: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerSbxCrossover(eta: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerSbxCrossover(geneProbability: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformCrossover(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerPolynomialMutation(eta: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerPolynomialMutation(geneProbability: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResampleMutation(-1));
    }
}
