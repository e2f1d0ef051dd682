using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Issue 15's `--seed -1`: the draw seed was `seed + 1`, and a draw seed of 0 meant "reuse the rows drawn before",
/// so seed -1 reconstructed every layer from rows that were never drawn (garbage models). Now "reuse" is a null
/// seed, and 0 is a seed like any other.
/// </summary>
public sealed class DrawSeedTests
{
    private const int Images = 3, Tokens = 9, PerImage = 4, Features = 2;

    private static LayerPlan TokenPlan() => new()
    {
        Layer = new PrunableLayer(0, "fc", "MatMul", "w", null, "x", "y"),
        IsConv = false, InAxis = 0, OutAxis = 1, InChannels = Features, OutChannels = Features, HasBias = false,
        Tokens = true, RowsPerImage = PerImage, Rows = new int[Images * PerImage],
    };

    private static (float[] X, long[] Shape) Input()
    {
        // Every value names its token (image·Tokens + token), so the gathered rows show which tokens were drawn.
        var x = new float[Images * Tokens * Features];
        for (int i = 0; i < x.Length; i++) x[i] = i / Features;
        return (x, [Images, Tokens, Features]);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(ulong.MaxValue)]
    public void SampleX_AnySeedIncludingZero_DrawsTheSeedsRows(ulong seed)
    {
        var plan = TokenPlan();
        var (x, shape) = Input();
        var rows = new float[Images * PerImage * Features];
        plan.SampleX(x, shape, x, shape, 0, Images, Features, seed, rows, new float[rows.Length]);

        var expected = new int[Images * PerImage];
        TokenSampler.DrawTokensPerImage(0, Images, Tokens, PerImage - 1, seed, expected);
        Assert.Equal(expected, plan.Rows);
        // Not all rows are the cls token: rows were drawn, not left at their initial zeros.
        Assert.Contains(plan.Rows, r => r != 0);
    }

    [Fact]
    public void SampleX_NullSeed_ReusesTheRowsDrawnBefore()
    {
        var plan = TokenPlan();
        var (x, shape) = Input();
        var rows = new float[Images * PerImage * Features];
        plan.SampleX(x, shape, x, shape, 0, Images, Features, 0UL, rows, new float[rows.Length]);
        var drawn = plan.Rows.ToArray();
        var again = new float[rows.Length];

        plan.SampleX(x, shape, x, shape, 0, Images, Features, null, again, new float[rows.Length]);

        Assert.Equal(drawn, plan.Rows);
        Assert.Equal(rows, again);
    }
}
