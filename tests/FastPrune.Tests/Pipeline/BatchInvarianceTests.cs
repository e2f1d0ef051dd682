using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The memory plan sizes collection and reconstruction batches from the memory limit (the machine's memory by
/// default), so a run's results must not depend on the batch: rows are drawn per image (layer, image index), Grams are
/// summed in fixed row blocks, and corrective passes cover exactly their image count. Two sessions of one seed whose
/// limits give different batches must give bit-identical weights and the same accuracy.
/// </summary>
public sealed class BatchInvarianceTests
{
    [Theory]
    [InlineData("resnet.onnx", ReconMode.Paper)]
    [InlineData("resnet.onnx", ReconMode.Corrective)]
    [InlineData("resnet.onnx", ReconMode.Exact)]
    [InlineData("vit.onnx", ReconMode.Corrective)]
    public void Evaluate_MemoryLimitsGivingOtherBatches_IdenticalWeights(string file, ReconMode mode)
    {
        string modelPath = Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, file);
        // 61 corrective images: not a multiple of either batch, so a pass that rounded up to whole batches would differ.
        var options = Sessions.Options(modelPath, mode, calib: 96, eval: 128) with { CorrectiveImages = 61, MemoryLimitBytes = 64L << 30 };
        using var roomy = CalibratedModel.Open(options);
        using var tight = CalibratedModel.Open(options with { MemoryLimitBytes = TightLimit(roomy.Memory, out int batch) });
        Assert.Equal(options.BatchSize, roomy.Memory.Batch);
        Assert.Equal(batch, tight.Memory.Batch);

        var genome = Genome.Uniform(roomy.Structure.Genes, 0.6);
        var a = roomy.Evaluate(genome, mode, keepModel: true);
        var b = tight.Evaluate(genome, mode, keepModel: true);

        Assert.Equal(a.Accuracy, b.Accuracy);
        int reconstructed = 0;
        foreach (var layer in roomy.Structure.Layers)
        {
            var wa = SequentialReconstructionTests.Weights(a.Model!.Proto, layer);
            Assert.Equal(wa, SequentialReconstructionTests.Weights(b.Model!.Proto, layer));
            var sliced = SequentialReconstructionTests.Weights(Sessions.Slices(roomy, genome).Model.Proto, layer);
            if (!wa.SequenceEqual(sliced)) reconstructed++;
        }
        // The comparison is over solved weights, not only slices the batch could not have changed.
        Assert.True(reconstructed > 3, $"{reconstructed} layers reconstructed");
    }

    /// <summary>
    /// A limit whose plan gives a small batch that divides neither the calibration count nor the row block: the plan
    /// gives a collection batch a quarter of what the resident part leaves, and refuses less than a quarter of the limit.
    /// </summary>
    internal static long TightLimit(MemoryPlan roomy, out int batch)
    {
        batch = 5;
        while (roomy.Resident > 12L * batch * roomy.CollectBytesPerImage) batch += 2;
        Assert.True(batch < roomy.Batch, $"the sample's resident part ({roomy.Resident} B) leaves no small batch");
        return roomy.Resident + 4L * batch * roomy.CollectBytesPerImage + 1;
    }
}
