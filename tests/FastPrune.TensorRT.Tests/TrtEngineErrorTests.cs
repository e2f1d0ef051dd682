using System.Runtime.InteropServices;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

public sealed class TrtEngineErrorTests
{
    private const string Spec = "input data -1 3 8 8\noutput logits -1 10\n";

    public TrtEngineErrorTests() => FakeShim.Install();

    [Fact]
    public void Build_MissingModel_ThrowsIoNamingTheFile()
    {
        using var folder = new ModelFolder();
        string missing = Path.Combine(folder.Path, "absent.onnx");

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(missing, batch: 1));

        Assert.Equal(TensorRtStatus.Io, error.Status);
        Assert.Equal($"model '{missing}' cannot be opened: No such file or directory", error.Message);
    }

    [Fact]
    public void Build_ParserRejectsModel_ThrowsParseWithNativeMessage()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("will_fail.onnx", Spec);

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(model, batch: 1));

        Assert.Equal(TensorRtStatus.Parse, error.Status);
        Assert.Equal(3, error.NativeCode);
        Assert.Equal($"fake parser rejected model '{model}': its path contains \"fail\"", error.Message);
        Assert.Equal(["will_fail.onnx"], folder.FileNames());
    }

    [Fact]
    public void Build_MalformedModel_ThrowsParseNamingTheLine()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("bad.onnx", "input data -1 3\n\nbogus line\n");

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(model, batch: 1));

        Assert.Equal(TensorRtStatus.Parse, error.Status);
        Assert.Equal($"fake parser: '{model}' line 3: expected 'input', 'output' or 'benchmark_error'", error.Message);
    }

    [Fact]
    public void Build_FixedBatchDiffersFromRequest_ThrowsUnsupported()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("fixed.onnx", "input data 1 3 8 8\noutput y 1 10\n");

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(model, batch: 4));

        Assert.Equal(TensorRtStatus.Unsupported, error.Status);
        Assert.Equal(
            $"model '{model}': input 'data' has a fixed batch of 1 but batch 4 was requested; export the model with a dynamic first dimension",
            error.Message);
    }

    [Fact]
    public void Build_DynamicSpatialDim_ThrowsUnsupported()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("spatial.onnx", "input data -1 3 -1 8\noutput y -1 10\n");

        var error = Assert.Throws<TensorRtException>(() => TrtEngine.Build(model, batch: 4));

        Assert.Equal(TensorRtStatus.Unsupported, error.Status);
        Assert.Equal($"model '{model}': tensor 'data' dim 2 is -1; only the first (batch) dim may be dynamic", error.Message);
    }

    [Fact]
    public void Build_NullPath_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => TrtEngine.Build(null!, batch: 1));
    }

    [Fact]
    public void Build_EmptyPath_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TrtEngine.Build(string.Empty, batch: 1));
    }

    [Fact]
    public void Build_PathWithNul_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TrtEngine.Build("model\0.onnx", batch: 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Build_NonPositiveBatch_ThrowsArgumentOutOfRangeException(int batch)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrtEngine.Build("model.onnx", batch));
    }

    [Fact]
    public void Build_EmptyCacheDir_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TrtEngine.Build("model.onnx", batch: 1, cacheDir: string.Empty));
    }

    [Fact]
    public void Benchmark_NegativeWarmup_ThrowsArgumentOutOfRangeException()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Benchmark(-1, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(TrtEngine.MaxIterations + 1)]
    public void Benchmark_IterationsOutOfRange_ThrowsArgumentOutOfRangeException(int iterations)
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Benchmark(0, iterations));
    }

    [Fact]
    public void Benchmark_EmptyDestination_ThrowsArgumentException()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);
        Assert.Throws<ArgumentException>(() => engine.Benchmark(0, Span<float>.Empty));
    }

    [Fact]
    public void Benchmark_AfterDispose_ThrowsObjectDisposedException()
    {
        using var folder = new ModelFolder();
        var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);
        engine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => engine.Benchmark(0, 1));
    }

    [Fact]
    public void Benchmark_EnqueueFails_ThrowsRuntimeWithNativeMessage()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec + "benchmark_error\n"), batch: 1);

        var error = Assert.Throws<TensorRtException>(() => engine.Benchmark(1, 5));

        Assert.Equal(TensorRtStatus.Runtime, error.Status);
        Assert.Equal("enqueueV3 failed (fake: the model asks for benchmark_error)", error.Message);
    }

    // The managed checks above stop bad arguments before the native call; these prove the ABI itself
    // rejects them too, with the messages both libraries share (fp_trt_args.c).
    [Theory]
    [InlineData(null, 1, 0, null, "fp_trt_engine_create: onnx_path is null")]
    [InlineData("", 1, 0, null, "fp_trt_engine_create: onnx_path is empty")]
    [InlineData("m.onnx", 0, 0, null, "fp_trt_engine_create: batch must be positive, got 0")]
    [InlineData("m.onnx", 1, 2, null, "fp_trt_engine_create: strict_fp32 must be 0 or 1, got 2")]
    [InlineData("m.onnx", 1, 0, "", "fp_trt_engine_create: cache_dir is empty (pass NULL for the model's folder)")]
    public void EngineCreate_NativeInvalidArgument_ReturnsStatusAndMessageAndNoHandle(
        string? path, int batch, int strict, string? cacheDir, string message)
    {
        int live = FakeShim.LiveHandles();
        int status = NativeMethods.EngineCreate(path, batch, strict, cacheDir, out TrtEngineHandle handle);

        Assert.Equal((int)TensorRtStatus.InvalidArgument, status);
        Assert.Equal(message, Marshal.PtrToStringUTF8(NativeMethods.LastError()));
        Assert.True(handle.IsInvalid);
        Assert.Equal(live, FakeShim.LiveHandles());
        handle.Dispose();
    }

    [Theory]
    [InlineData(-1, 3, "fp_trt_engine_benchmark: warmup must be >= 0, got -1")]
    [InlineData(0, 0, "fp_trt_engine_benchmark: iterations must be in [1, 1000000], got 0")]
    [InlineData(0, 1000001, "fp_trt_engine_benchmark: iterations must be in [1, 1000000], got 1000001")]
    public unsafe void EngineBenchmark_NativeInvalidArgument_ReturnsStatusAndMessage(int warmup, int iterations, string message)
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);
        var handle = (TrtEngineHandle)typeof(TrtEngine)
            .GetField("_handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(engine)!;
        float sink = 0;

        int status = NativeMethods.EngineBenchmark(handle, warmup, iterations, &sink);

        Assert.Equal((int)TensorRtStatus.InvalidArgument, status);
        Assert.Equal(message, Marshal.PtrToStringUTF8(NativeMethods.LastError()));
    }

    [Fact]
    public void LastError_FailureOnAnotherThread_IsNotSeenHere()
    {
        using var folder = new ModelFolder();
        string missing = Path.Combine(folder.Path, "absent.onnx");
        string? otherThreadMessage = null;
        var thread = new Thread(() =>
        {
            NativeMethods.EngineCreate(missing, 1, 0, null, out TrtEngineHandle handle).ToString();
            otherThreadMessage = Marshal.PtrToStringUTF8(NativeMethods.LastError());
            handle.Dispose();
        });
        unsafe
        {
            byte* buffer = stackalloc byte[64];
            Assert.Equal(0, NativeMethods.Version(buffer, 64, out _)); // a success clears this thread's slot
        }
        thread.Start();
        thread.Join();

        Assert.Equal($"model '{missing}' cannot be opened: No such file or directory", otherThreadMessage);
        Assert.Equal(string.Empty, Marshal.PtrToStringUTF8(NativeMethods.LastError()));
    }
}
