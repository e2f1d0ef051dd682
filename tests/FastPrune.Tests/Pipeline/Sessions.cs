using FastPrune.Data;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune.Tests.Pipeline;

/// <summary>Small, CPU-only session options over the bundled samples, and genome helpers.</summary>
internal static class Sessions
{
    public static readonly SampleShape Mnist = new(1, 28, 28);

    /// <summary>
    /// Options with few images; <paramref name="everyRow"/> asks for more patches/tokens per image
    /// than exist, so the session samples every position and a reference needs no knowledge of its draws.
    /// </summary>
    public static PruneOptions Options(string model, ReconMode recon, bool everyRow = false, int calib = 64, int eval = 64) => new()
    {
        ModelPath = model,
        DataPath = SampleFiles.CalibImages,
        Calib = calib,
        Eval = eval,
        Seed = 7,
        Recon = recon,
        Device = ComputeDevice.Cpu,
        BatchSize = 32,
        Threads = 2,
        PatchesPerImage = everyRow ? 1 << 20 : 10,
        TokensPerImage = everyRow ? 1 << 20 : 19,
    };

    public static int[] Max(PrunableStructure s) => s.Genes.Select(g => g.Max).ToArray();

    /// <summary>Input axis of a layer's weight, as the pipeline reads it.</summary>
    public static int InAxis(PrunableStructure s, PrunableLayer l) =>
        l.OpType == "Conv" ? 1 : l.OpType == "Gemm" && FastPrune.Graph.Attr.Int(s.Index.Node(l.Node), "transB", 0) != 0 ? 1 : 0;

    public static int OutAxis(PrunableStructure s, PrunableLayer l) => l.OpType == "Conv" ? 0 : 1 - InAxis(s, l);

    public static PrunedModel Slices(CalibratedModel session, int[] genome) =>
        Surgery.ApplyWithSlices(session.Structure, ChannelSelection.Select(session.Structure, genome, session.Options.Select, session.Options.Seed));
}
