using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>Surgery checked against ONNX Runtime: the max genome changes nothing; random genomes give valid, runnable models whose MACs are as predicted.</summary>
public sealed class SurgeryOrtTests
{
    public static IEnumerable<object[]> Models() => Repo.SampleModels();

    [Theory]
    [MemberData(nameof(Models))]
    public void Apply_MaxGenome_OutputsEqualOriginal(string sample)
    {
        var model = OnnxModel.Load(Repo.Sample(sample));
        var s = PrunableStructure.Analyze(model);
        Assert.NotEmpty(s.Genes);
        var genome = Genome.Parse("max", s.Genes);
        var pruned = Surgery.Apply(s, ChannelSelection.Select(s, genome, SelectionMethod.Random, 1));
        var shape = Ort.InputShape(model, 2);
        var x = Ort.RandomInput(shape, 7);
        var expected = Ort.Run(model.ToBytes(), x, shape);
        var actual = Ort.Run(pruned.ToBytes(), x, shape);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.True(Ort.MaxRelativeDifference(actual[i].Values, expected[i].Values) <= 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Apply_RandomGenomes_RunWithPredictedMacs(string sample)
    {
        var model = OnnxModel.Load(Repo.Sample(sample));
        var s = PrunableStructure.Analyze(model);
        var shape = Ort.InputShape(model, 2);
        var x = Ort.RandomInput(shape, 3);
        var reference = Ort.Run(model.ToBytes(), x, shape);
        for (int seed = 0; seed < 6; seed++)
        {
            var rng = new Random(seed);
            var genome = s.Genes.Select(g => g.Nearest(g.Min + rng.NextDouble() * (g.Max - g.Min))).ToArray();
            var method = seed % 2 == 0 ? SelectionMethod.Random : SelectionMethod.L1;
            var pruned = Surgery.Apply(s, ChannelSelection.Select(s, genome, method, seed));
            // the validator runs on the bytes, as any consumer would see them
            var reloaded = OnnxModel.FromBytes(pruned.ToBytes(), "pruned");
            var predicted = ModelCost.Compute(pruned).Macs;
            Assert.Equal(predicted, ModelSummary.Of(reloaded).Macs);
            Assert.True(predicted <= ModelCost.Compute(model).Macs);
            var outputs = Ort.Run(reloaded.ToBytes(), x, shape);
            Assert.Equal(reference[0].Shape, outputs[0].Shape);
            Assert.All(outputs[0].Values, v => Assert.True(float.IsFinite(v)));
        }
    }
}
