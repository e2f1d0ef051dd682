using FastPrune.Pipeline;
using FastPrune.Tests.Data;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The contracts of the explicit reconstruction state (issue 11): surgery's validated output is never written into,
/// the original layer outputs are kept by option rather than by opening with another reconstruction mode, and a
/// written model is the model that was evaluated.
/// </summary>
public sealed class ReconstructionStateTests
{
    private static int[] Half(CalibratedModel m) => m.Structure.Genes.Select(g => Math.Max(g.Min, g.Max / 2)).ToArray();

    [Theory]
    [InlineData(ReconMode.Paper)]
    [InlineData(ReconMode.Corrective)]
    [InlineData(ReconMode.Exact)]
    public void Reconstruct_AnyMode_LeavesSurgeryOutputUnchangedAndSharesWhatItDoesNotSolve(ReconMode mode)
    {
        using var model = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Exact));
        var pruned = model.Prune(Half(model));
        var before = pruned.Model.Proto.ToByteArray();
        var initializers = pruned.Model.Proto.Graph.Initializer.ToArray();

        var (rebuilt, _) = model.Reconstruct(pruned, mode);

        Assert.Equal(before, pruned.Model.Proto.ToByteArray());
        Assert.NotSame(pruned.Model.Proto, rebuilt);
        // Same initializers in the same order; only layer weights and biases are new objects, and some of them are.
        var layerTensors = model.Structure.Layers.SelectMany(l => new[] { l.Weight, l.Bias }).OfType<string>().ToHashSet();
        var after = rebuilt.Graph.Initializer;
        Assert.Equal(initializers.Select(t => t.Name), after.Select(t => t.Name));
        int replaced = 0;
        for (int i = 0; i < initializers.Length; i++)
        {
            if (ReferenceEquals(initializers[i], after[i])) continue;
            Assert.Contains(after[i].Name, layerTensors);
            Assert.NotEqual(initializers[i].ToByteArray(), after[i].ToByteArray());
            replaced++;
        }
        Assert.True(replaced > 0, "no weight was re-solved");
        // Paper mode leaves a layer whose inputs were not pruned (the stem, reading the images) as sliced: shared.
        if (mode == ReconMode.Paper) Assert.True(replaced < initializers.Length, "every initializer was copied");
        Assert.Same(pruned.Model.Proto.Graph.Node[0], rebuilt.Graph.Node[0]);
    }

    [Theory]
    [InlineData(ReconMode.Corrective)]
    [InlineData(ReconMode.Exact)]
    public void Evaluate_PaperOpenedWithKeepLayerOutputs_SameSubnetAsOpenedForTheMode(ReconMode mode)
    {
        using var paper = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Paper) with { KeepLayerOutputs = true });
        using var opened = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, mode));
        var genome = Half(paper);

        var a = paper.Evaluate(genome, mode, keepModel: true);
        var b = opened.Evaluate(genome, mode, keepModel: true);

        Assert.True(paper.KeptLayerOutputs);
        Assert.Equal(b.Accuracy, a.Accuracy);
        Assert.Equal(b.Model!.Proto.ToByteArray(), a.Model!.Proto.ToByteArray());
    }

    [Fact]
    public void Evaluate_CorrectiveWithoutKeptOutputs_ThrowsInvalidOperation()
    {
        using var paper = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Paper));

        Assert.False(paper.KeptLayerOutputs);
        var e = Assert.Throws<InvalidOperationException>(() => paper.Evaluate(Half(paper), ReconMode.Corrective));
        Assert.Contains("KeepLayerOutputs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Genome_FileIsTheEvaluatedModelAndItsAccuracyIsReported()
    {
        using var tmp = new TempDir();
        using var model = CalibratedModel.Open(Sessions.Options(SampleFiles.ResNet, ReconMode.Exact));
        var genome = Half(model);
        var path = tmp.File("half.onnx");

        var written = model.Write(genome, path);
        var inMemory = model.Evaluate(genome, keepModel: true);

        Assert.Equal(inMemory.Model!.Proto.ToByteArray(), File.ReadAllBytes(path));
        Assert.Equal(inMemory.Accuracy, written.Accuracy);
        Assert.Equal(inMemory.Macs, written.Macs);
        Assert.Null(written.Model);
        Assert.Equal([path], Directory.GetFiles(tmp.Path)); // no temporary file left beside it
    }

    [Fact]
    public void Workspace_PaperOpenedWithKeepLayerOutputs_EvaluatesCorrective()
    {
        var options = new WorkspaceOptions
        {
            ModelPath = SampleFiles.ResNet, DataPath = SampleFiles.CalibImages, Calib = 64, Eval = 64, Seed = 7,
            Recon = ReconMode.Paper, Device = ComputeTarget.Cpu, Threads = 2,
        };
        using var kept = Workspace.Open(options with { KeepLayerOutputs = true });
        using var plain = Workspace.Open(options);
        var genome = kept.ParseGenome("0.5");

        var r = kept.Evaluate(genome, ReconMode.Corrective);

        Assert.InRange(r.Accuracy, 0, 1);
        Assert.Equal(FastPruneErrorKind.InvalidOptions,
            Assert.Throws<FastPruneException>(() => plain.Evaluate(genome, ReconMode.Corrective)).Kind);
    }
}
