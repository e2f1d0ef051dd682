namespace FastPrune.Evo.Tests;

public class TargetProtectionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Run_WithTargets_PopulationAlwaysHoldsBestEverPointUnderEachTarget(int directionsPerTarget)
    {
        double[] targets = [0.05, 0.3];
        var options = new Nsga3Options { Objective0Targets = targets, Generations = 15, DirectionsPerTarget = directionsPerTarget };
        var search = new Nsga3(TestProblems.Space(10), 2, options, new Xoshiro256StarStar(8));
        while (!search.IsDone)
        {
            var batch = search.Ask();
            search.Tell(batch.Select(g => new Evaluated(g, TestProblems.Zdt1(g))).ToList());
            foreach (double t in targets)
            {
                var under = search.History.Where(e => e.Objectives[0] <= t).ToList();
                if (under.Count == 0)
                    continue;
                double best = under.Min(e => e.Objectives[1]);
                Assert.Contains(search.Population, e => e.Objectives[0] <= t && e.Objectives[1] == best);
            }
        }
    }
}
