using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void Create_EnoughData_GivesDisjointSortedSetsOfAskedSize()
    {
        DataSplit s = DataSplit.Create(10_000, 1500, 5000, seed: 42);

        Assert.Equal(1500, s.Calibration.Length);
        Assert.Equal(5000, s.Evaluation.Length);
        Assert.Empty(s.Warnings);
        Assert.Empty(s.Calibration.Intersect(s.Evaluation));
        Assert.Equal(1500, s.Calibration.Distinct().Count());
        Assert.Equal(s.Calibration.Order(), s.Calibration);
        Assert.Equal(s.Evaluation.Order(), s.Evaluation);
        Assert.All(s.Calibration.Concat(s.Evaluation), i => Assert.InRange(i, 0, 9999));
    }

    [Fact]
    public void Create_SameSeed_GivesSameSplit()
    {
        DataSplit a = DataSplit.Create(3000, 100, 200, seed: 7);
        DataSplit b = DataSplit.Create(3000, 100, 200, seed: 7);

        Assert.Equal(a.Calibration, b.Calibration);
        Assert.Equal(a.Evaluation, b.Evaluation);
    }

    [Fact]
    public void Create_DifferentSeed_GivesDifferentSplit()
    {
        DataSplit a = DataSplit.Create(3000, 100, 200, seed: 7);
        DataSplit b = DataSplit.Create(3000, 100, 200, seed: 8);

        Assert.NotEqual(a.Calibration, b.Calibration);
        Assert.NotEqual(a.Evaluation, b.Evaluation);
    }

    [Fact]
    public void Create_TooFewImages_SplitsInProportionWithWarning()
    {
        DataSplit s = DataSplit.Create(2000, 1500, 5000, seed: 1);

        // 2000 · 1500 / 6500 = 461.5 → 461 calibration, the rest evaluation.
        Assert.Equal(461, s.Calibration.Length);
        Assert.Equal(1539, s.Evaluation.Length);
        Assert.Empty(s.Calibration.Intersect(s.Evaluation));
        string w = Assert.Single(s.Warnings);
        Assert.Equal("only 2000 images: using 461 for calibration and 1539 for evaluation (asked for 1500 and 5000, split in proportion)", w);
    }

    [Theory]
    [InlineData(2, 1500, 5000, 1, 1)]
    [InlineData(1, 1500, 5000, 1, 0)]
    [InlineData(5, 0, 100, 0, 5)]
    [InlineData(5, 100, 0, 5, 0)]
    [InlineData(3, 1, 100, 1, 2)]
    public void Create_TinySource_KeepsAtLeastOneWherePossible(int count, int calib, int eval, int expectC, int expectE)
    {
        DataSplit s = DataSplit.Create(count, calib, eval, seed: 3);

        Assert.Equal(expectC, s.Calibration.Length);
        Assert.Equal(expectE, s.Evaluation.Length);
        Assert.Empty(s.Calibration.Intersect(s.Evaluation));
        Assert.Single(s.Warnings);
    }

    [Fact]
    public void CreateSeparate_TwoSources_IndexesEachAndWarnsOnShortfall()
    {
        DataSplit s = DataSplit.CreateSeparate(1000, 300, 1500, 200, seed: 5);

        Assert.Equal(1000, s.Calibration.Length);
        Assert.Equal(Enumerable.Range(0, 1000), s.Calibration);
        Assert.Equal(200, s.Evaluation.Length);
        Assert.All(s.Evaluation, i => Assert.InRange(i, 0, 299));
        Assert.Equal(200, s.Evaluation.Distinct().Count());
        Assert.Equal(["only 1000 calibration images: using 1000 (asked for 1500)"], s.Warnings);
        Assert.Equal(s.Evaluation, DataSplit.CreateSeparate(1000, 300, 1500, 200, seed: 5).Evaluation);
        Assert.NotEqual(s.Evaluation, DataSplit.CreateSeparate(1000, 300, 1500, 200, seed: 6).Evaluation);
    }

    [Theory]
    [InlineData(1000, 300)]
    [InlineData(7, 20)]
    [InlineData(5000, 150)]
    public void CreateSeparate_EvaluationImages_AreWhatEvaluationAloneDrawsFromThatSource(int calibrationCount, int calibration)
    {
        // `fastprune eval --data E --eval N --seed S` and a run with separate evaluation data E must measure the same
        // images: the evaluation draw may not depend on the calibration source (it drew after it, from one stream).
        foreach (int seed in new[] { 0, 1, 17 })
        {
            var separate = DataSplit.CreateSeparate(calibrationCount, 300, calibration, 120, seed);
            Assert.Equal(DataSplit.Create(300, 0, 120, seed).Evaluation, separate.Evaluation);
            Assert.Equal(DataSplit.Create(calibrationCount, Math.Min(calibration, calibrationCount), 0, seed).Calibration, separate.Calibration);
        }
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(-1, 1, 1)]
    [InlineData(10, -1, 1)]
    [InlineData(10, 1, -1)]
    public void Create_BadCounts_ThrowArgumentOutOfRange(int count, int calib, int eval)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Create(count, calib, eval, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.CreateSeparate(count, 10, calib, eval, 0));
    }
}
