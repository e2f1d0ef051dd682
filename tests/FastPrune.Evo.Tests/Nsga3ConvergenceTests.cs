namespace FastPrune.Evo.Tests;

public class Nsga3ConvergenceTests
{
    private static double Hv(IEnumerable<Evaluated> history) =>
        Pareto.Hypervolume2D(Pareto.Front(history).Select(e => e.Objectives), [1.1, 1.1]);

    [Fact]
    public void Run_Zdt1TenVariables_ReachesTrueFront()
    {
        var space = TestProblems.Space(10);
        var options = new Nsga3Options { Generations = 120 };
        var history = TestProblems.Run(new Nsga3(space, 2, options, new Xoshiro256StarStar(1)), TestProblems.Zdt1);
        double hv = Hv(history);
        double igd = TestProblems.Igd(Pareto.Front(history).Select(e => e.Objectives), TestProblems.Zdt1TrueFront(200));
        Assert.True(hv >= 0.98 * TestProblems.Zdt1TrueHv, $"HV {hv} of {TestProblems.Zdt1TrueHv}");
        Assert.True(igd <= 0.02, $"IGD {igd}");
    }

    [Fact]
    public void Run_Dtlz2TenVariables_ReachesTrueFront()
    {
        var space = TestProblems.Space(10);
        var options = new Nsga3Options { Generations = 60 };
        var history = TestProblems.Run(new Nsga3(space, 2, options, new Xoshiro256StarStar(2)), TestProblems.Dtlz2);
        double hv = Hv(history);
        double igd = TestProblems.Igd(Pareto.Front(history).Select(e => e.Objectives), TestProblems.Dtlz2TrueFront(200));
        Assert.True(hv >= 0.98 * TestProblems.Dtlz2TrueHv, $"HV {hv} of {TestProblems.Dtlz2TrueHv}");
        Assert.True(igd <= 0.02, $"IGD {igd}");
    }

    [Theory]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void Run_PaperBudgetOnZdt1_BeatsRandomSearch(ulong seed)
    {
        // Table 1's budget (64 + 30·50) on the 30-variable ZDT1 of the original paper.
        var space = TestProblems.Space(30);
        var nsga = Hv(TestProblems.Run(new Nsga3(space, 2, new Nsga3Options(), new Xoshiro256StarStar(seed)), TestProblems.Zdt1));
        var random = TestProblems.Run(new RandomSearch(space, 2, new SearchOptions(), new Xoshiro256StarStar(seed)), TestProblems.Zdt1);
        Assert.Equal(1564, random.Count);
        double hvRandom = Hv(random);
        Assert.True(nsga > hvRandom + 0.1, $"NSGA-III {nsga} vs random {hvRandom}");
    }

    [Fact]
    public void Run_PaperBudgetOnDtlz2_BeatsRandomSearch()
    {
        var space = TestProblems.Space(10);
        var nsga = Hv(TestProblems.Run(new Nsga3(space, 2, new Nsga3Options(), new Xoshiro256StarStar(5)), TestProblems.Dtlz2));
        var random = Hv(TestProblems.Run(new RandomSearch(space, 2, new SearchOptions(), new Xoshiro256StarStar(5)), TestProblems.Dtlz2));
        Assert.True(nsga > random + 0.05, $"NSGA-III {nsga} vs random {random}");
    }
}
