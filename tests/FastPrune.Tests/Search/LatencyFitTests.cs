using FastPrune.Search;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>The latency table's calibration: a least-squares line through (table sum, measured ms), its intercept held at
/// or above zero, against hand-computed fits.</summary>
public sealed class LatencyFitTests
{
    [Fact]
    public void Of_PointsOnALine_RecoversItsSlopeAndIntercept()
    {
        var fit = LatencyFit.Of([(1.0, 5.5), (2.0, 7.5), (4.0, 11.5)]);
        Assert.Equal(2.0, fit.Slope, 12);
        Assert.Equal(3.5, fit.Intercept, 12);
        // Least squares off the line: (1,3), (2,3), (3,6) → slope 1.5, intercept 1 (hand-computed).
        var ls = LatencyFit.Of([(1.0, 3.0), (2.0, 3.0), (3.0, 6.0)]);
        Assert.Equal(1.5, ls.Slope, 12);
        Assert.Equal(1.0, ls.Intercept, 12);
    }

    [Fact]
    public void Of_NegativeFreeIntercept_FitsThroughTheOriginAndNeverPredictsBelowZero()
    {
        // (0,0), (1,1), (2,3): the free fit is slope 1.5, intercept −1/6, which predicts −0.02 ms for a sum of 0.1 (a
        // tiny subnet would then meet every target). Through the origin: slope Σxy/Σx² = 7/5 (hand-computed).
        var fit = LatencyFit.Of([(0.0, 0.0), (1.0, 1.0), (2.0, 3.0)]);
        Assert.Equal(1.4, fit.Slope, 12);
        Assert.Equal(0.0, fit.Intercept);
        Assert.True(fit.Predict(0.1) > 0, $"predicted {fit.Predict(0.1)} ms");
    }

    [Fact]
    public void Of_OnePointOrEqualSums_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencyFit.Of([(1.0, 2.0)]));
        Assert.Throws<ArgumentException>(() => LatencyFit.Of([(3.0, 2.0), (3.0, 4.0)]));
        Assert.Throws<ArgumentException>(() => LatencyFit.Of([(1.0, double.NaN), (3.0, 4.0)]));
    }
}
