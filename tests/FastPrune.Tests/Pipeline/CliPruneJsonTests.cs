using FastPrune.Tests.Cli;
using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Graph;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary><c>fastprune prune --data … --json</c>: the per-subnet timing breakdown and the reconstruction mode.</summary>
public sealed class CliPruneJsonTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData("paper")]
    [InlineData("corrective")]
    [InlineData("none")]
    public void Prune_WithDataAndJson_ReportsNonNegativeTimingsAccuracyAndRecon(string recon)
    {
        var target = _dir.File($"pruned-{recon}.onnx");
        var r = CliRun.Run("prune", SampleFiles.ResNet, "-g", "0.5", "-o", target, "--data", SampleFiles.CalibImages,
            "--calib", "64", "--eval", "64", "--recon", recon, "--threads", "2", "--json");
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = Assert.Single(lines);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var key in new[] { "t_surgery_s", "t_recon_s", "t_session_s", "t_infer_s" })
        {
            Assert.True(root.TryGetProperty(key, out var t), $"no {key} in {json}");
            Assert.True(t.GetDouble() >= 0 && double.IsFinite(t.GetDouble()), $"{key} = {t}");
        }
        Assert.True(root.GetProperty("t_infer_s").GetDouble() > 0);
        Assert.Equal(recon, root.GetProperty("recon").GetString());
        double accuracy = root.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        Assert.False(root.GetProperty("agreement_only").GetBoolean());
        Assert.Equal(target, root.GetProperty("out").GetString());
        // MACs and params describe the file that was written.
        var written = ModelCost.Compute(OnnxModel.Load(target));
        Assert.Equal(written.Macs, root.GetProperty("macs").GetInt64());
        Assert.Equal(written.Params, root.GetProperty("params").GetInt64());
    }

    public void Dispose() => _dir.Dispose();
}
