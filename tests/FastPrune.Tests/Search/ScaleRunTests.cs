using FastPrune.Tests.Cli;
using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Zoo;
using FastPrune.Pipeline;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>What a run reports about its own scale: the benchmark of a fixed-batch model, peak memory, and the refusal of a run that cannot fit.</summary>
public sealed class ScaleRunTests : IDisposable
{
    private readonly TempDir _dir = new();

    private (string Model, string X, string Y) LegacyData()
    {
        var model = _dir.File("legacy.onnx");
        OnnxModel.FromProto(ZooModels.BuildLegacyCnn(7)).Save(model);
        var rng = new Random(5);
        var x = new float[48 * 3 * 32 * 32];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        NpyFile.Write(_dir.File("x.npy"), x, [48, 3, 32, 32]);
        NpyFile.Write(_dir.File("y.npy"), Enumerable.Range(0, 48).Select(_ => (long)rng.Next(10)).ToArray(), [48]);
        return (model, _dir.File("x.npy"), _dir.File("y.npy"));
    }

    [Fact]
    public void Execute_FixedBatchModel_BenchmarksAtItsBatchAndReportsPeakMemory()
    {
        var (model, x, y) = LegacyData();
        var o = SearchRuns.Options(_dir.File("run"), 3, budget: 6, model: model) with
        {
            Prune = Sessions.Options(model, ReconMode.Paper, calib: 24, eval: 24) with { DataPath = x, LabelsPath = y },
            Targets = [0.6],
            PolishCandidates = 1,
            BenchEngine = FastPrune.Runtime.InferenceEngine.OrtCpu,
            BenchBatch = 64,
        };

        // The peak resident set is the process's high-water mark: at least the resident set before the run, at most
        // the high-water mark after it (the managed heap is no bound: untouched pages of fresh arrays are not resident).
        long residentBefore = ProcStatusBytes("VmRSS:");
        var r = SearchRun.Execute(o);
        long peakAfter = ProcStatusBytes("VmHWM:");

        using var front = JsonDocument.Parse(File.ReadAllText(Path.Combine(o.OutDir, "front.json")));
        var root = front.RootElement;
        Assert.Equal(1, root.GetProperty("bench").GetProperty("batch").GetInt32());
        Assert.True(root.GetProperty("original").GetProperty("img_per_s").GetDouble() > 0);
        var written = Assert.Single(root.GetProperty("models").EnumerateArray());
        Assert.True(written.GetProperty("img_per_s").GetDouble() > 0);
        Assert.Contains(r.Warnings, w => w.Contains("batch 1", StringComparison.Ordinal));
        long peak = root.GetProperty("peak_rss_bytes").GetInt64();
        Assert.InRange(peak, residentBefore, peakAfter);
        Assert.Equal(peak > 0, r.PeakResidentBytes > 0);
    }

    [Fact]
    public void PruneWithData_MemoryLimitBelowTheGrams_RefusedWithTheEstimateExit3()
    {
        var (model, x, y) = LegacyData();
        var output = _dir.File("pruned.onnx");

        var r = CliRun.Run("prune", model, "-g", "0.5", "-o", output, "--data", x, "--labels", y, "--calib", "24", "--eval", "24",
            "--memory-limit", "0.0001");

        Assert.True(r.Code == ExitCodes.InvalidInput, r.ToString());
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("legacy.onnx", line, StringComparison.Ordinal);
        Assert.Contains("memory limit of 0.0 GB", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    public void Dispose() => _dir.Dispose();

    private static long ProcStatusBytes(string key)
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
