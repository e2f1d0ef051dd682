using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Zoo;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Support;

/// <summary>The checks issue 10 asks of every model family, each against ONNX Runtime.</summary>
internal static class FamilyCheck
{
    /// <summary>
    /// Analyses <paramref name="model"/> and checks: some gene exists; the max genome reproduces the original outputs
    /// (≤ 1e-5 relative); a seeded random genome gives a graph that runs in ORT with the original output shapes,
    /// computes what the masked original computes, and has the MACs our cost model reports (what <c>prune --json</c>
    /// prints), counted over ORT-measured shapes. With <paramref name="masked"/> false (a model whose LayerNorms
    /// normalise pruned channels: their statistics change, so no masking reproduces them) the numbers are not compared.
    /// </summary>
    /// <param name="model">The model, with the shape options it is analysed with (a fixed H/W for a dynamic export).</param>
    /// <param name="batch">Batch of the ORT runs.</param>
    /// <param name="seed">Seed of the input and the genome.</param>
    /// <param name="masked">Whether the masked original is a numeric reference.</param>
    public static PrunableStructure AssertPrunes(OnnxModel model, int batch, int seed, bool masked = true)
    {
        var proto = model.Proto;
        var s = PrunableStructure.Analyze(model);
        Assert.NotEmpty(s.Genes);
        long[] Shape(int n) => FamilyFixtures.InputShape(model, n);

        var (max, _) = PruneCheck.Prune(s, Genome.Parse("max", s.Genes), SelectionMethod.L1, 0);
        var shape = Shape(batch);
        var x = Ort.RandomInput(shape, seed);
        var expected = Ort.Run(proto.ToByteArray(), x, shape);
        var actual = Ort.Run(max.ToBytes(), x, shape);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.True(Ort.MaxRelativeDifference(actual[i].Values, expected[i].Values) <= 1e-5, $"max genome changes output '{actual[i].Name}'");
        }

        var rng = new Random(seed);
        var genome = s.Genes.Select(g => g.Nearest(g.Min + (rng.NextDouble() * (g.Max - g.Min)))).ToArray();
        var (reread, kept) = PruneCheck.Prune(s, genome, SelectionMethod.Random, seed);
        var pruned = reread.WithShapeOptions(model.ShapeOptions);
        if (masked) AssertMatchesMasked(s, kept, pruned, x, shape);
        else AssertRuns(pruned, x, shape, expected);
        var one = Shape(1);
        long measured = MacCounter.Count(pruned.Proto, Ort.RandomInput(one, seed + 1), one, out _);
        Assert.Equal(ModelCost.Compute(pruned).Macs, measured);
        return s;
    }

    private static void AssertMatchesMasked(PrunableStructure s, int[][] kept, OnnxModel pruned, float[] x, long[] shape)
    {
        var expected = Ort.Run(Masking.Apply(s, kept).ToByteArray(), x, shape);
        var actual = Ort.Run(pruned.ToBytes(), x, shape);
        Assert.Equal(expected.Select(o => o.Shape), actual.Select(o => o.Shape));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.All(actual[i].Values, v => Assert.True(float.IsFinite(v)));
            Assert.True(Ort.MaxRelativeDifference(actual[i].Values, expected[i].Values) <= 1e-5, $"output '{actual[i].Name}' differs from the masked reference");
        }
    }

    private static void AssertRuns(OnnxModel pruned, float[] x, long[] shape, List<(string Name, long[] Shape, float[] Values)> original)
    {
        var actual = Ort.Run(pruned.ToBytes(), x, shape);
        Assert.Equal(original.Select(o => o.Shape), actual.Select(o => o.Shape));
        Assert.All(actual, o => Assert.All(o.Values, v => Assert.True(float.IsFinite(v))));
    }

    /// <summary>MACs left with every gene at 10 % of its maximum, as a fraction of the model's.</summary>
    public static double TenPercentMacs(PrunableStructure s) =>
        GenomeCost.Of(s, s.Genes.Select(g => g.Nearest(0.1 * g.Max)).ToArray()).Macs / (double)ModelCost.Compute(s.Model).Macs;
}
