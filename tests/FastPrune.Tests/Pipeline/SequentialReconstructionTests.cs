using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Sequential reconstruction (activations carried forward through per-stage segment models, one forward pass)
/// against the prefix reference (each stage runs the network prefix it needs): both solve the same least-squares
/// problems from the same rows, so the weights may differ only by float32 rounding in ONNX Runtime (a fusion that
/// a segment boundary splits) amplified by the solve.
/// </summary>
public sealed class SequentialReconstructionTests
{
    // Relative weight difference allowed per layer: the samples' Grams are ill-conditioned (the ridge holds them at
    // 1e-4 of their mean diagonal), so a 1e-7 change of the inputs can move a solution by ~1e-3.
    private const double WeightBound = 2e-3;

    [Theory]
    [InlineData("resnet.onnx", ReconMode.Exact, 0)]
    [InlineData("mobilenet.onnx", ReconMode.Exact, 0)]
    [InlineData("vit.onnx", ReconMode.Exact, 0)]
    [InlineData("resnet.onnx", ReconMode.Corrective, 3)]
    [InlineData("vit.onnx", ReconMode.Corrective, 2)]
    public void Evaluate_SequentialStages_MatchPrefixPasses(string file, ReconMode mode, int passes)
    {
        string modelPath = Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, file);
        var options = Sessions.Options(modelPath, mode, calib: 96, eval: 128) with { CorrectivePasses = passes, CorrectiveImages = 64 };
        using var sequential = CalibratedModel.Open(options);
        using var prefix = CalibratedModel.Open(options with { PrefixPasses = true });
        var genome = Genome.Uniform(sequential.Structure.Genes, 0.6);
        var a = sequential.Evaluate(genome, mode, keepModel: true);
        var b = prefix.Evaluate(genome, mode, keepModel: true);

        Assert.Equal(b.Macs, a.Macs);
        Assert.InRange(a.Accuracy, b.Accuracy - 2.0 / 128, b.Accuracy + 2.0 / 128);
        int compared = 0;
        foreach (var layer in sequential.Structure.Layers)
        {
            var wa = Weights(a.Model!.Proto, layer);
            var wb = Weights(b.Model!.Proto, layer);
            Assert.Equal(wb.Length, wa.Length);
            double err = Ridge.RelativeError(wa, wb);
            Assert.True(err <= WeightBound, $"{file} {layer.Name}: sequential and prefix weights differ by {err:E2}");
            compared++;
        }
        Assert.True(compared > 3);
    }

    // 0: every batch spilled (packed where it is mostly zeros); 150 KB: some held as they are, some held packed, the rest spilled.
    [Theory]
    [InlineData(0L)]
    [InlineData(150_000L)]
    public void Evaluate_ExactWithFrontierSpilledOrPacked_MatchesHeldInMemory(long budget)
    {
        var spill = Directory.CreateTempSubdirectory("fastprune-spill-test-");
        try
        {
            var options = Sessions.Options(SampleFiles.ResNet, ReconMode.Exact, calib: 96, eval: 64);
            using var held = CalibratedModel.Open(options);
            using var spilled = CalibratedModel.Open(options with { SpillFolder = spill.FullName, FrontierBudgetBytes = budget });
            var genome = Genome.Uniform(held.Structure.Genes, 0.5);
            var a = held.Evaluate(genome, ReconMode.Exact, keepModel: true);
            var b = spilled.Evaluate(genome, ReconMode.Exact, keepModel: true);
            Assert.Equal(a.Accuracy, b.Accuracy);
            foreach (var layer in held.Structure.Layers)
                Assert.Equal(Weights(a.Model!.Proto, layer), Weights(b.Model!.Proto, layer));
            Assert.Empty(spill.EnumerateFiles()); // the spill files are deleted with their stores
        }
        finally
        {
            spill.Delete(recursive: true);
        }
    }

    // By initializer name: surgery may renumber nodes (a rewritten Reshape), never rename a layer's weight or bias.
    internal static double[] Weights(FastPrune.Graph.Onnx.ModelProto model, PrunableLayer layer)
    {
        var w = model.Graph.Initializer.Single(t => t.Name == layer.Weight);
        var values = FastPrune.Graph.TensorData.Floats(w).ToArray().Select(v => (double)v);
        if (layer.Bias is { } bias)
            values = values.Concat(FastPrune.Graph.TensorData.Floats(model.Graph.Initializer.Single(t => t.Name == bias)).ToArray().Select(v => (double)v));
        return values.ToArray();
    }
}
