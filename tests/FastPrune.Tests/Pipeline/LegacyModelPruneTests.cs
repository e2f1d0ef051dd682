using FastPrune.Tests.Cli;
using Xunit;
using FastPrune.Cli;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Zoo;
using FastPrune.Tests.Data;

namespace FastPrune.Tests.Pipeline;

/// <summary>An older exporter's model (opset 9, batch fixed to 1, unfused BatchNormalization) through prune --data.</summary>
public sealed class LegacyModelPruneTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void PruneWithData_FixedBatchUnfusedBn_FoldsReconstructsAndRuns()
    {
        var model = _dir.File("legacy.onnx");
        OnnxModel.FromProto(ZooModels.BuildLegacyCnn(7)).Save(model);
        var rng = new Random(5);
        var x = new float[48 * 3 * 32 * 32];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var y = Enumerable.Range(0, 48).Select(_ => (long)rng.Next(10)).ToArray();
        NpyFile.Write(_dir.File("x.npy"), x, [48, 3, 32, 32]);
        NpyFile.Write(_dir.File("y.npy"), y, [48]);
        var output = _dir.File("pruned.onnx");

        var r = CliRun.Run("prune", model, "-g", "0.5", "-o", output, "--data", _dir.File("x.npy"), "--labels", _dir.File("y.npy"),
            "--calib", "24", "--eval", "24", "--fold-bn", "--json");

        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        var pruned = OnnxModel.Load(output);
        Assert.DoesNotContain(pruned.Proto.Graph.Node, n => n.OpType == "BatchNormalization");
        Assert.True(ModelCost.Compute(pruned).Macs < ModelCost.Compute(OnnxModel.Load(model)).Macs);
        Assert.Contains("\"recon\":\"corrective\"", r.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
