using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Issue 15's `--seed -1`: the draw seed was `seed + 1`, and a draw seed of 0 meant "reuse the rows drawn before",
/// so seed -1 reconstructed every layer from rows that were never drawn (garbage models). Now "reuse" is no seed at
/// all (the rows live in the layer's collected features), and 0 is a seed like any other.
/// </summary>
public sealed class DrawSeedTests
{
    private const int Images = 3, Tokens = 9, PerImage = 4, Features = 2;

    private static LayerPlan TokenPlan() => new()
    {
        Layer = new PrunableLayer(0, "fc", "MatMul", "w", null, "x", "y"),
        IsConv = false, InAxis = 0, OutAxis = 1, InChannels = Features, OutChannels = Features, HasBias = false,
        Tokens = true, RowsPerImage = PerImage,
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
    public void DrawRows_AnySeedIncludingZero_DrawsTheSeedsRows(ulong seed)
    {
        var plan = TokenPlan();
        var (_, shape) = Input();
        using var features = new LayerFeatures(plan, Images, null, keepOutputs: false);

        plan.DrawRows(shape, shape, 0, Images, seed, features.RowsToDraw(0, Images));

        var expected = new int[Images * PerImage];
        TokenSampler.DrawTokensPerImage(0, Images, Tokens, PerImage - 1, seed, expected);
        Assert.Equal(expected, features.Rows(0, Images).ToArray());
        // Not all rows are the cls token: rows were drawn, not left at their initial zeros.
        Assert.Contains(features.Rows(0, Images).ToArray(), r => r != 0);
    }

    [Fact]
    public void SampleX_RowsDrawnBefore_GathersExactlyThoseTokens()
    {
        var plan = TokenPlan();
        var (x, shape) = Input();
        using var features = new LayerFeatures(plan, Images, null, keepOutputs: false);
        plan.DrawRows(shape, shape, 0, Images, 0UL, features.RowsToDraw(0, Images));
        var rows = new float[Images * PerImage * Features];

        plan.SampleX(x, shape, x, shape, Images, Features, features.Rows(0, Images), rows, new float[rows.Length]);

        var drawn = features.Rows(0, Images).ToArray();
        for (int r = 0; r < drawn.Length; r++)
            for (int f = 0; f < Features; f++)
                Assert.Equal(r / PerImage * Tokens + drawn[r], rows[r * Features + f]);
    }
}
