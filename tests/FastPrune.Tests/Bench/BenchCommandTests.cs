using FastPrune.Tests.Cli;
using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Graph;
using FastPrune.Runtime;
using Xunit;

namespace FastPrune.Tests.Bench;

/// <summary><c>fastprune bench</c> end to end on ONNX Runtime CPU with small models.</summary>
[Collection(NoShimCollection.Name)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly BenchModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void Run_JsonTwoModelsOnOrtCpu_OneObjectPerModelWithFinitePositiveFigures()
    {
        string vit = _models.VitToy();
        string mlp = _models.Mlp();

        var (code, stdout, stderr) = CliRun.Run("bench", vit, mlp, "--engine", "ort-cpu", "--batch", "4", "--warmup", "1", "--iters", "5", "--threads", "1", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
        var lines = CliAssert.Lines(stdout);
        Assert.Equal(2, lines.Length);
        string[] paths = [vit, mlp];
        double firstImgPerS = 0;
        for (int i = 0; i < 2; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var o = doc.RootElement;
            foreach (string key in new[] { "model", "engine", "batch", "img_per_s", "p50_ms", "p99_ms", "macs", "speedup" })
                Assert.True(o.TryGetProperty(key, out _), $"missing key {key} in {lines[i]}");
            Assert.Equal(paths[i], o.GetProperty("model").GetString());
            Assert.Equal("ort-cpu", o.GetProperty("engine").GetString());
            Assert.Equal(4, o.GetProperty("batch").GetInt32());
            Assert.Equal(ModelCost.Compute(OnnxModel.Load(paths[i])).Macs, o.GetProperty("macs").GetInt64());
            double imgPerS = o.GetProperty("img_per_s").GetDouble(), p50 = o.GetProperty("p50_ms").GetDouble(), p99 = o.GetProperty("p99_ms").GetDouble();
            Assert.True(double.IsFinite(imgPerS) && imgPerS > 0, $"img/s {imgPerS}");
            Assert.True(double.IsFinite(p50) && p50 > 0, $"p50 {p50}");
            Assert.True(p99 >= p50 && double.IsFinite(p99), $"p99 {p99} < p50 {p50}");
            // img/s is the batch over the median latency, not an independent figure.
            Assert.Equal(4 * 1000.0 / p50, imgPerS, 1e-9 * imgPerS);
            if (i == 0) firstImgPerS = imgPerS;
            Assert.Equal(imgPerS / firstImgPerS, o.GetProperty("speedup").GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void Run_TextTwoModels_PrintsHeaderAndOneRowPerModelWithSpeedup()
    {
        string a = _models.Mlp("a.onnx");
        string b = _models.Mlp("b.onnx");

        var (code, stdout, stderr) = CliRun.Run("bench", a, b, "--engine", "ort-cpu", "--batch", "2", "--warmup", "0", "--iters", "3");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
        var lines = CliAssert.Lines(stdout);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("engine ort-cpu, batch 2, warmup 0, timed runs 3", lines[0]);
        Assert.Contains("img/s", lines[1]);
        Assert.Contains("a.onnx", lines[2]);
        Assert.EndsWith("1.00x", lines[2].TrimEnd());
        Assert.Contains("b.onnx", lines[3]);
        // MACs per image: the Gemm's 16 inputs times 8 outputs.
        Assert.Equal("128", lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal("128", lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.EndsWith("x", lines[3].TrimEnd());
    }

    [Fact]
    public void Run_EngineTrtWithoutShim_OneLineReasonAndExit3()
    {
        string mlp = _models.Mlp();

        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "trt", "--batch", "2", "--iters", "1");

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("", stdout);
        var lines = CliAssert.Lines(stderr);
        Assert.Single(lines);
        Assert.StartsWith("fastprune: TensorRT shim not available: ", lines[0]);
        Assert.Contains("no such file", lines[0]);
    }

    [Fact]
    public void Run_EngineOrtCuda_RunsWhereCudaWorksElseOneLineReasonExit3()
    {
        string mlp = _models.Mlp();
        bool cuda = OrtSessionFactory.TryCreateCuda(out string reason);

        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "ort-cuda", "--batch", "2", "--warmup", "0", "--iters", "2", "--json");

        if (cuda)
        {
            Assert.Equal(ExitCodes.Ok, code);
            using var doc = JsonDocument.Parse(Assert.Single(CliAssert.Lines(stdout)));
            Assert.Equal("ort-cuda", doc.RootElement.GetProperty("engine").GetString());
        }
        else
        {
            AssertOneLineError(ExitCodes.InvalidInput, code, stdout, stderr, "fastprune: " + OrtSessionFactory.CudaUnavailablePrefix);
            Assert.Equal("fastprune: " + reason, CliAssert.Lines(stderr)[0]);
        }
    }

    [Fact]
    public void Run_EngineAuto_SaysWhichEngineRanAndJsonAgrees()
    {
        string mlp = _models.Mlp();

        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "auto", "--batch", "2", "--warmup", "0", "--iters", "2", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        string line = Assert.Single(CliAssert.Lines(stderr));
        using var doc = JsonDocument.Parse(Assert.Single(CliAssert.Lines(stdout)));
        string engine = doc.RootElement.GetProperty("engine").GetString()!;
        Assert.StartsWith($"fastprune: engine auto: running on {engine} (TensorRT shim not available: ", line);
        if (engine == "ort-cpu")
            Assert.Contains("; CUDA execution provider unavailable: ", line);
        else
            Assert.Equal("ort-cuda", engine);
    }

    [Fact]
    public void Run_FixedBatchOneBesideDynamicAtBatch4_FixedOneTimedAtItsOwnBatchWithANote()
    {
        string fixedOne = _models.Mlp("fixed.onnx", first: 1);
        string dynamic = _models.Mlp("dynamic.onnx");

        var (code, stdout, stderr) = CliRun.Run("bench", fixedOne, dynamic, "--engine", "ort-cpu", "--batch", "4", "--warmup", "0", "--iters", "2", "--json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal($"fastprune: note: {fixedOne}: the model fixes its batch to 1; timed at that batch (img/s compare across batches)",
            Assert.Single(CliAssert.Lines(stderr)));
        var rows = CliAssert.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 4], rows.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.All(rows, r => Assert.True(r.GetProperty("img_per_s").GetDouble() > 0));
    }

    [Fact]
    public void Run_FixedBatchOneWithBatch1_Runs()
    {
        string fixedOne = _models.Mlp("fixed.onnx", first: 1);

        var (code, _, stderr) = CliRun.Run("bench", fixedOne, "--engine", "ort-cpu", "--batch", "1", "--warmup", "0", "--iters", "2");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Run_DynamicNonBatchDim_OneLineErrorExit3()
    {
        string dynamicFeatures = _models.Mlp("dyn.onnx", first: "batch", second: "features");

        var (code, stdout, stderr) = CliRun.Run("bench", dynamicFeatures, "--engine", "ort-cpu", "--batch", "2");

        AssertOneLineError(ExitCodes.InvalidInput, code, stdout, stderr,
            $"fastprune: {dynamicFeatures}: input 'input': dimension 1 is dynamic ('features'); only the first (batch) dimension may be, or fix it with --input-shape input:D0,D1,…");
    }

    [Fact]
    public void Run_MissingFile_OneLineErrorExit4()
    {
        string missing = Path.Combine(_models.Folder, "nope.onnx");

        var (code, stdout, stderr) = CliRun.Run("bench", missing, "--engine", "ort-cpu");

        AssertOneLineError(ExitCodes.FileSystem, code, stdout, stderr, $"fastprune: {missing}: no such file");
    }

    [Fact]
    public void Run_NotOnnx_OneLineErrorExit3()
    {
        string text = _models.Text("notes.onnx", "this is not a protobuf\n");

        var (code, stdout, stderr) = CliRun.Run("bench", text, "--engine", "ort-cpu");

        AssertOneLineError(ExitCodes.InvalidInput, code, stdout, stderr, $"fastprune: {text}: ");
    }

    [Fact]
    public void Run_OpTheEngineDoesNotImplement_OneLineErrorExit3()
    {
        string custom = _models.UnknownOp();

        var (code, stdout, stderr) = CliRun.Run("bench", custom, "--engine", "ort-cpu", "--batch", "2");

        AssertOneLineError(ExitCodes.InvalidInput, code, stdout, stderr, $"fastprune: {custom}: ONNX Runtime (ort-cpu) cannot load the model: ");
    }

    [Fact]
    public void Run_BatchLargerThanMemory_OneLineErrorExit3()
    {
        string mlp = _models.Mlp();

        // 2^30 rows of 16 floats is 64 GiB of input alone.
        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "ort-cpu", "--batch", (1 << 30).ToString());

        AssertOneLineError(ExitCodes.InvalidInput, code, stdout, stderr, $"fastprune: {mlp}: batch 1073741824 may not fit on ort-cpu: it may need up to ");
    }

    [Theory]
    [InlineData("--batch", "0", "--batch must be at least 1, not 0")]
    [InlineData("--iters", "0", "--iters must be at least 1, not 0")]
    [InlineData("--warmup", "-1", "--warmup must be 0 or more, not -1")]
    [InlineData("--threads", "-2", "--threads must be 0 or more, not -2")]
    public void Run_OptionOutOfRange_UsageExit2(string option, string value, string message)
    {
        string mlp = _models.Mlp();

        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "ort-cpu", option, value);

        AssertOneLineError(ExitCodes.Usage, code, stdout, stderr, "fastprune: " + message);
    }

    [Fact]
    public void Run_UnknownEngine_UsageExit2()
    {
        string mlp = _models.Mlp();

        var (code, stdout, stderr) = CliRun.Run("bench", mlp, "--engine", "cuda");

        AssertOneLineError(ExitCodes.Usage, code, stdout, stderr, "fastprune: --engine must be one of ort-cpu, ort-cuda, trt, auto; not 'cuda'");
    }

    /// <summary>The one-line failure every command promises (<see cref="CliAssert.OneLineError"/>), its line starting
    /// with <paramref name="prefix"/> (nothing ran, so not even the table header on stdout).</summary>
    private static void AssertOneLineError(int expectedCode, int code, string stdout, string stderr, string prefix) =>
        Assert.StartsWith(prefix, CliAssert.OneLineError(new CliResult(code, stdout, stderr), expectedCode), StringComparison.Ordinal);
}
