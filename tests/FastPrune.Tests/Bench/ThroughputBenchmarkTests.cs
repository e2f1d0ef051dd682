using FastPrune.Graph.Building;
using FastPrune.Runtime;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace FastPrune.Tests.Bench;

public sealed class ThroughputBenchmarkTests : IDisposable
{
    private readonly BenchModels _models = new();

    public void Dispose() => _models.Dispose();

    [Fact]
    public void RunInterleaved_TwoModels_OneResultEachWithEveryRunTimed()
    {
        string a = _models.Mlp("a.onnx"), b = _models.VitToy();
        var options = new BenchmarkOptions { Batch = 3, Warmup = 1, Iterations = 7, Threads = 1 };

        var results = ThroughputBenchmark.RunInterleaved([a, b], options);

        Assert.Equal([a, b], results.Select(r => r.Model));
        foreach (var r in results)
        {
            Assert.Equal(InferenceEngine.OrtCpu, r.Engine);
            Assert.Equal(3, r.Batch);
            Assert.Equal(7, r.LatenciesMs.Count);
            Assert.All(r.LatenciesMs, ms => Assert.True(ms > 0 && double.IsFinite(ms)));
            Assert.Equal(LatencyStats.Quantile(r.LatenciesMs.ToArray(), 0.5), r.P50Ms);
            Assert.Equal(3000.0 / r.P50Ms, r.ImagesPerSecond, 1e-9 * r.ImagesPerSecond);
        }
        Assert.Equal(128, results[0].Macs);
    }

    [Fact]
    public void RunInterleaved_Empty_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ThroughputBenchmark.RunInterleaved([], new BenchmarkOptions()));
    }

    [Fact]
    public void Run_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ThroughputBenchmark.Run(null!, new BenchmarkOptions()));
        Assert.Throws<ArgumentNullException>(() => ThroughputBenchmark.Run("m.onnx", null!));
    }

    [Fact]
    public void Run_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ThroughputBenchmark.Run(Path.Combine(_models.Folder, "none.onnx"), new BenchmarkOptions { Batch = 1 }));
    }

    [Fact]
    public void Run_HugeBatch_ThrowsOutOfMemoryBeforeAllocating()
    {
        var e = Assert.Throws<BenchmarkException>(() => ThroughputBenchmark.Run(_models.Mlp(), new BenchmarkOptions { Batch = int.MaxValue }));

        Assert.Equal(BenchmarkFailure.OutOfMemory, e.Failure);
    }

    [Theory]
    [InlineData(0, 0, 1, 0)]
    [InlineData(1, -1, 1, 0)]
    [InlineData(1, 0, 0, 0)]
    [InlineData(1, 0, 1, -1)]
    public void Validate_OutOfRange_ThrowsArgumentOutOfRange(int batch, int warmup, int iterations, int threads)
    {
        var options = new BenchmarkOptions { Batch = batch, Warmup = warmup, Iterations = iterations, Threads = threads };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_TrtIterationsAboveShimLimit_ThrowsArgumentOutOfRange()
    {
        var options = new BenchmarkOptions { Engine = InferenceEngine.TensorRt, Iterations = FastPrune.TensorRT.TrtEngine.MaxIterations + 1 };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void OrtSessionFactoryCreate_ReluOnCpu_ComputesRelu()
    {
        var b = new GraphBuilder("relu");
        b.Output(b.Node("Relu", [b.Input("x", ElemType.Float, 1, 6)], output: "y"), ElemType.Float, 1, 6);
        float[] x = [-1.5f, 2.25f, -0.5f, 3f, 0.75f, -4f];

        using var session = OrtSessionFactory.Create(b.Build().ToByteArray(), InferenceEngine.OrtCpu, intraOpThreads: 1);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 6]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], ["y"]);

        Assert.Equal(x.Select(v => Math.Max(v, 0f)), outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void OrtSessionFactoryCreate_GarbageBytes_ThrowsModelFailed()
    {
        var e = Assert.Throws<BenchmarkException>(() => OrtSessionFactory.Create([1, 2, 3, 4], InferenceEngine.OrtCpu));

        Assert.Equal(BenchmarkFailure.ModelFailed, e.Failure);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OrtSessionFactoryCreateOptions_NegativeThreads_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrtSessionFactory.CreateOptions(InferenceEngine.OrtCpu, -1));
    }

    [Fact]
    public void OrtSessionFactoryCreateOptions_TensorRt_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => OrtSessionFactory.CreateOptions(InferenceEngine.TensorRt));
    }

    [Fact]
    public void OrtSessionFactoryTryCreateCuda_Unavailable_ReasonIsOneLineWithPrefix()
    {
        bool ok = OrtSessionFactory.TryCreateCuda(out string reason);

        if (ok)
        {
            Assert.Equal("", reason);
        }
        else
        {
            Assert.StartsWith(OrtSessionFactory.CudaUnavailablePrefix, reason);
            Assert.DoesNotContain('\n', reason);
            Assert.True(reason.Length > OrtSessionFactory.CudaUnavailablePrefix.Length);
        }
    }

    [Theory]
    [InlineData("ort-cpu", InferenceEngine.OrtCpu)]
    [InlineData("ORT-CUDA", InferenceEngine.OrtCuda)]
    [InlineData("trt", InferenceEngine.TensorRt)]
    public void InferenceEngineNames_TryParse_RoundTrips(string name, InferenceEngine engine)
    {
        Assert.True(InferenceEngineNames.TryParse(name, out var parsed));
        Assert.Equal(engine, parsed);
        Assert.Equal(name.ToLowerInvariant(), parsed.ToName());
    }

    [Fact]
    public void InferenceEngineNames_Unknown_FalseAndToNameOfUndefinedThrows()
    {
        Assert.False(InferenceEngineNames.TryParse("auto", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((InferenceEngine)42).ToName());
    }
}
