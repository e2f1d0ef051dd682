using System.Runtime.CompilerServices;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

/// <summary>Every fp_trt_engine the binding creates is destroyed exactly once, on every path.</summary>
public sealed class HandleLifetimeTests
{
    private const string Spec = "input data -1 3 8 8\noutput logits -1 10\n";

    public HandleLifetimeTests() => FakeShim.Install();

    [Fact]
    public void Dispose_Twice_DestroysExactlyOnce()
    {
        using var folder = new ModelFolder();
        int live = FakeShim.LiveHandles();
        int bad = FakeShim.BadDestroys();

        var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 2);
        Assert.Equal(live + 1, FakeShim.LiveHandles());
        engine.Dispose();
        engine.Dispose();

        Assert.Equal(live, FakeShim.LiveHandles());
        Assert.Equal(bad, FakeShim.BadDestroys());
    }

    [Fact]
    public void Build_NativeFailure_LeavesNoLiveHandle()
    {
        using var folder = new ModelFolder();
        int live = FakeShim.LiveHandles();

        Assert.Throws<TensorRtException>(() => TrtEngine.Build(folder.Write("fail.onnx", Spec), batch: 2));
        Assert.Throws<TensorRtException>(() => TrtEngine.Build(folder.Write("bad.onnx", "nonsense\n"), batch: 2));

        Assert.Equal(live, FakeShim.LiveHandles());
    }

    [Fact]
    public void Benchmark_NativeFailure_HandleStillReleasedOnceOnDispose()
    {
        using var folder = new ModelFolder();
        int live = FakeShim.LiveHandles();
        int bad = FakeShim.BadDestroys();

        using (var engine = TrtEngine.Build(folder.Write("net.onnx", Spec + "benchmark_error\n"), batch: 2))
        {
            Assert.Throws<TensorRtException>(() => engine.Benchmark(0, 3));
            Assert.Equal(live + 1, FakeShim.LiveHandles());
        }

        Assert.Equal(live, FakeShim.LiveHandles());
        Assert.Equal(bad, FakeShim.BadDestroys());
    }

    [Fact]
    public void Finalizer_EngineNeverDisposed_DestroysHandle()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        int live = FakeShim.LiveHandles();
        int bad = FakeShim.BadDestroys();

        BuildAndDrop(model);
        Assert.Equal(live + 1, FakeShim.LiveHandles());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(live, FakeShim.LiveHandles());
        Assert.Equal(bad, FakeShim.BadDestroys());
    }

    [Fact]
    public void Dispose_ManyEnginesInShuffledOrder_ReleasesEveryOne()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        int live = FakeShim.LiveHandles();
        int bad = FakeShim.BadDestroys();
        var engines = Enumerable.Range(1, 12).Select(batch => TrtEngine.Build(model, batch)).ToArray();
        Assert.Equal(live + 12, FakeShim.LiveHandles());

        new Random(20240611).Shuffle(engines);
        for (int i = 0; i < engines.Length; i++)
        {
            engines[i].Dispose();
            Assert.Equal(live + engines.Length - i - 1, FakeShim.LiveHandles());
        }

        Assert.Equal(bad, FakeShim.BadDestroys());
    }

    [Fact]
    public unsafe void EngineDestroy_SamePointerTwice_FakeCountsTheSecondAsBadDestroy()
    {
        // Proves the counter the tests above rely on can actually see a double destroy.
        using var folder = new ModelFolder();
        int bad = FakeShim.BadDestroys();
        NativeMethods.ThrowIfFailed(NativeMethods.EngineCreate(folder.Write("net.onnx", Spec), 1, 0, null, out TrtEngineHandle handle));
        nint raw = handle.DangerousGetHandle();
        handle.SetHandleAsInvalid(); // take ownership away from the SafeHandle

        NativeMethods.EngineDestroy(raw);
        NativeMethods.EngineDestroy(raw);

        Assert.Equal(bad + 1, FakeShim.BadDestroys());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BuildAndDrop(string model) => TrtEngine.Build(model, batch: 3);
}
