using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Support;

/// <summary>What every pruned model must satisfy, checked against ONNX Runtime.</summary>
internal static class PruneCheck
{
    /// <summary>Prunes <paramref name="s"/> to <paramref name="genome"/>; the result is re-read from its bytes through the validator.</summary>
    public static (OnnxModel Pruned, int[][] Kept) Prune(PrunableStructure s, int[] genome, SelectionMethod method, int seed)
    {
        var kept = ChannelSelection.Select(s, genome, method, seed);
        var pruned = Surgery.Apply(s, kept);
        for (int g = 0; g < genome.Length; g++) Assert.Equal(genome[g], kept[g].Length);
        return (OnnxModel.FromBytes(pruned.ToBytes(), "pruned"), kept);
    }

    /// <summary>
    /// The pruned model runs in ORT at <paramref name="batch"/> with the original output shapes and computes what
    /// the masked original computes (removed units zeroed), within <paramref name="tolerance"/> relative to the
    /// output's largest magnitude; inspect's MACs of the re-read model equal the prediction from the surgery result.
    /// </summary>
    public static void AssertValid(PrunableStructure s, int[][] kept, OnnxModel pruned, int batch, double tolerance = 1e-5)
    {
        var predicted = ModelCost.Compute(pruned).Macs;
        Assert.Equal(predicted, ModelSummary.Of(OnnxModel.FromBytes(pruned.ToBytes(), "pruned")).Macs);

        var shape = ZooCache.InputShape(s.Model.Proto, batch);
        var x = Ort.RandomInput(shape, 41);
        var expected = Ort.Run(Masking.Apply(s, kept).ToByteArray(), x, shape);
        var actual = Ort.Run(pruned.ToBytes(), x, shape);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.All(actual[i].Values, v => Assert.True(float.IsFinite(v)));
            double err = Ort.MaxRelativeDifference(actual[i].Values, expected[i].Values);
            Assert.True(err <= tolerance, $"output '{actual[i].Name}' differs from the masked reference by {err:E2}");
        }
    }

    /// <summary>The dims of initializer <paramref name="name"/> in <paramref name="m"/>.</summary>
    public static long[] Dims(ModelProto m, string name) => m.Graph.Initializer.Single(t => t.Name == name).Dims.ToArray();

    /// <summary>A genome with every gene at <paramref name="pick"/>(gene).</summary>
    public static int[] Genome(PrunableStructure s, Func<Gene, int> pick) => s.Genes.Select(pick).ToArray();
}
