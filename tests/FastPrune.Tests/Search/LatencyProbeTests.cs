using System.Text;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// A layer's entry on ONNX Runtime CPU is its own kernel time in ONNX Runtime's profile: read from a profile whose answer
/// is worked by hand, and taken from a real probe.
/// </summary>
public sealed class LatencyProbeTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>A profile of <see cref="LatencyProbe.Warmup"/> + <see cref="LatencyProbe.Rounds"/> runs of three nodes:
    /// a ReorderInput (100 µs), the Conv (run r: 1000 + 10·|r − 5| µs, fastest in run 5) and a ReorderOutput (50 µs),
    /// plus session events that are not node kernels.</summary>
    private string Profile(int convPerRun = 1, int runs = LatencyProbe.Warmup + LatencyProbe.Rounds)
    {
        var sb = new StringBuilder("[{\"cat\":\"Session\",\"name\":\"model_loading_uri\",\"dur\":5000,\"args\":{}}");
        void Node(string name, string op, double us) =>
            sb.Append($",{{\"cat\":\"Node\",\"name\":\"{name}_kernel_time\",\"dur\":{us},\"args\":{{\"op_name\":\"{op}\"}}}}");
        for (int r = 0; r < runs; r++)
        {
            Node("reorder", "ReorderInput", 100);
            for (int k = 0; k < convPerRun; k++) Node($"y{k}_nchwc", "Conv", 1000 + 10 * Math.Abs(r - 5));
            Node("reorder_out", "ReorderOutput", 50);
            sb.Append(",{\"cat\":\"Session\",\"name\":\"SequentialExecutor::Execute\",\"dur\":1300,\"args\":{}}");
        }
        string path = _dir.File("profile.json");
        File.WriteAllText(path, sb.Append(']').ToString());
        return path;
    }

    [Fact]
    public void KernelMs_Profile_IsTheFastestTimedRunsKernelsOfTheLayersOp()
    {
        Assert.Equal(1.0, LatencyProbe.KernelMs(Profile(), "Conv"), 12);
        // Two nodes of the op per run are summed per run: 2 × 1000 µs in run 5.
        Assert.Equal(2.0, LatencyProbe.KernelMs(Profile(convPerRun: 2), "Conv"), 12);
        Assert.Equal(0.1, LatencyProbe.KernelMs(Profile(), "ReorderInput"), 12);
    }

    [Fact]
    public void KernelMs_MissingOrUnevenKernels_Throws()
    {
        Assert.Throws<BenchmarkException>(() => LatencyProbe.KernelMs(Profile(), "Gemm"));
        Assert.Throws<BenchmarkException>(() => LatencyProbe.KernelMs(Profile(runs: LatencyProbe.Warmup + LatencyProbe.Rounds - 1), "Conv"));
    }

    [Fact]
    public void Time_ConvolutionOnOrtCpu_IsAPositiveKernelTimeAndLeavesNoFiles()
    {
        // x[4, 32, 16, 16] → Conv 32→32 3×3: blocked on a CPU with a blocked layout, where the lone node also pays two
        // reorders that the entry leaves out (its value is a timing, so only its sign is asserted).
        var layer = new LatencyLayer("Conv", [[4, 32, 16, 16], [32, 32, 3, 3]], [false, true], [FastPrune.Graph.Building.Attrs.Ints("pads", 1, 1, 1, 1)], [4, 32, 16, 16], 13);
        var probe = new LatencyProbe(new BenchmarkOptions { Engine = InferenceEngine.OrtCpu, Batch = 4, Threads = 1 }, _dir.Path);

        double ms = probe.Time(layer);

        Assert.True(ms > 0 && double.IsFinite(ms), $"{ms} ms");
        Assert.Equal(1, probe.Timed);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void KernelMsByLayer_Profile_SumsEachPrefixedLayersNodesPerRunAndSkipsTheRest()
    {
        // Runs r = 0..8: L0's conv 1000 + 10·|r − 5| µs, L1 a Gemm of 200 µs and a second node of 300 µs, an unprefixed
        // ReorderInput (not the layer's); L2 never appears.
        var sb = new StringBuilder("[");
        void Node(string name, string op, double us) =>
            sb.Append(sb.Length > 1 ? "," : "").Append($"{{\"cat\":\"Node\",\"name\":\"{name}_kernel_time\",\"dur\":{us},\"args\":{{\"op_name\":\"{op}\"}}}}");
        for (int r = 0; r < LatencyProbe.Warmup + LatencyProbe.Rounds; r++)
        {
            Node("ReorderInput", "ReorderInput", 100);
            Node("L0_y_nchwc", "Conv", 1000 + 10 * Math.Abs(r - 5));
            Node("L1_layer", "Gemm", 200);
            Node("L1_layer_2", "Add", 300);
        }
        string path = _dir.File("profile.json");
        File.WriteAllText(path, sb.Append(']').ToString());

        var ms = LatencyProbe.KernelMsByLayer(path, 3);

        Assert.Equal(1.0, ms[0]!.Value, 12);
        Assert.Equal(0.5, ms[1]!.Value, 12);
        Assert.Null(ms[2]);
    }

    [Fact]
    public void Build_SampleLayersTogether_OrtProfileHasEveryLayerUnderItsPrefix()
    {
        // The naming the batched probe rests on, asked of ONNX Runtime: every layer of the MobileNet and ResNet samples
        // (blocked convolutions ORT renames, the Gemm, a layout reorder) keeps its prefix in the optimised graph's profile.
        foreach (string sample in new[] { Pipeline.SampleFiles.MobileNet, Pipeline.SampleFiles.ResNet })
        {
            var model = FastPrune.Graph.OnnxModel.Load(sample);
            var layers = LatencyLayer.InNetwork(model, 2, OrtNchwcBlock.Of(InferenceEngine.OrtCpu)).DistinctBy(l => l.Key).ToList();
            string path = _dir.File(Path.GetFileName(sample));
            LatencyProbe.Build(layers).Save(path);
            var options = new BenchmarkOptions { Engine = InferenceEngine.OrtCpu, Batch = 2, Threads = 1 };
            string profile;
            using (var runner = new OrtBatchRunner(path, InputSpec.ForBatch(FastPrune.Graph.OnnxModel.Load(path), 2), options, _dir.File("p")))
            {
                ThroughputBenchmark.TimeInterleaved([runner], LatencyProbe.Warmup, LatencyProbe.Rounds, default);
                profile = runner.EndProfiling();
            }
            var ms = LatencyProbe.KernelMsByLayer(profile, layers.Count);
            for (int k = 0; k < layers.Count; k++)
                Assert.True(ms[k] is > 0, $"{Path.GetFileName(sample)}: layer {k} ({layers[k].Op}) has no kernel time under L{k}_");
        }
    }

    [Fact]
    public void TimeMany_Layers_ArePositiveTimingsInOrderAndLeaveNoFiles()
    {
        var layers = new[]
        {
            new LatencyLayer("Conv", [[2, 16, 8, 8], [16, 16, 3, 3]], [false, true], [FastPrune.Graph.Building.Attrs.Ints("pads", 1, 1, 1, 1)], [2, 16, 8, 8], 13),
            new LatencyLayer("Gemm", [[2, 64], [8, 64]], [false, true], [FastPrune.Graph.Building.Attrs.Int("transB", 1)], [2, 8], 13),
            new LatencyLayer("Conv", [[2, 3, 8, 8], [16, 3, 1, 1]], [false, true], [], [2, 16, 8, 8], 13),
        };
        var probe = new LatencyProbe(new BenchmarkOptions { Engine = InferenceEngine.OrtCpu, Batch = 2, Threads = 1 }, _dir.Path);

        var ms = probe.TimeMany(layers);

        Assert.Equal(3, ms.Length);
        Assert.All(ms, m => Assert.True(m > 0 && double.IsFinite(m), $"{m} ms"));
        Assert.Equal(3, probe.Timed);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Create_WithProfilePrefix_WritesTheProfileThere()
    {
        // Two runs in one folder would otherwise share ONNX Runtime's default file names in the working directory.
        var layer = new LatencyLayer("Gemm", [[2, 8], [4, 8]], [false, true], [FastPrune.Graph.Building.Attrs.Int("transB", 1)], [2, 4], 13);
        string model = _dir.File("gemm.onnx");
        LatencyProbe.Build(layer).Save(model);
        using var session = OrtSessionFactory.Create(model, InferenceEngine.OrtCpu, 1, _dir.File("profile"));
        string file = session.EndProfiling();
        Assert.StartsWith(_dir.File("profile"), Path.GetFullPath(file));
        Assert.True(File.Exists(file));
    }

    public void Dispose() => _dir.Dispose();
}
