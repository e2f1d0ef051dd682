using FastPrune.Search;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>The one uniform keep-ratio bisection, against step costs whose answer is known in closed form.</summary>
public sealed class UniformRatioTests
{
    // A uniform genome rounds: the cost of ratio r is that of its count out of 37 units, squared (a conv's MACs).
    private static double StepCost(double r) => Math.Pow(Math.Ceiling(r * 37), 2);

    [Theory]
    [InlineData(100.0)]
    [InlineData(441.0)]
    [InlineData(1000.0)]
    public void LargestUnder_StepCost_EndsJustBelowTheFirstStepOverBudget(double budget)
    {
        double r = UniformRatio.LargestUnder(StepCost, budget);
        // The reference: the largest count c with c^2 <= budget; ratios up to c/37 cost c^2, anything above costs more.
        int c = (int)Math.Floor(Math.Sqrt(budget));
        Assert.True(StepCost(r) <= budget);
        Assert.InRange(c / 37.0 - r, 0, Math.Pow(2, -UniformRatio.DefaultSteps));
    }

    [Fact]
    public void LargestUnder_NothingUnderBudget_ReturnsTheLowEnd() =>
        Assert.Equal(UniformRatio.DefaultLow, UniformRatio.LargestUnder(_ => 5, 1));

    [Fact]
    public void LargestUnder_EverythingUnderBudget_ApproachesOne()
    {
        var asked = new List<double>();
        double r = UniformRatio.LargestUnder(x => { asked.Add(x); return 0; }, 1, low: 0, steps: 14);
        Assert.Equal(1 - Math.Pow(2, -14), r, 12);
        Assert.Equal(14, asked.Count); // one cost per step, at the bracket's midpoint
        Assert.Equal(0.5, asked[0]);
    }

    [Theory]
    [InlineData(-0.1, 20)]
    [InlineData(1.0, 20)]
    [InlineData(double.NaN, 20)]
    [InlineData(0.01, 0)]
    public void LargestUnder_BadBracketOrSteps_ThrowsArgumentOutOfRange(double low, int steps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UniformRatio.LargestUnder(_ => 0, 1, low, steps));
}
