using CsCheck;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

/// <summary>
/// The fake reports deterministic timings (formula in native/trt_fake/fp_trt_fake.h); these tests check that
/// every element crosses the boundary in order, with warm-up runs excluded and the flags passed through.
/// </summary>
public sealed class TrtEngineBenchmarkTests
{
    private const string Spec = "input data -1 3 8 8\noutput logits -1 10\n";

    [Fact]
    public void Benchmark_Fake_ReturnsDocumentedTimingPerIteration()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 8);

        float[] ms = engine.Benchmark(warmup: 3, iterations: 50);

        Assert.Equal(50, ms.Length);
        for (int i = 0; i < ms.Length; i++)
        {
            Assert.Equal(FakeShim.ExpectedMilliseconds(8, false, 3, i), ms[i]);
        }
    }

    [Fact]
    public void Benchmark_StrictFp32_PassesFlagThrough()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 4, strictFp32: true);

        float[] ms = engine.Benchmark(warmup: 0, iterations: 4);

        Assert.Equal(Enumerable.Range(0, 4).Select(i => FakeShim.ExpectedMilliseconds(4, true, 0, i)), ms);
    }

    [Fact]
    public void Benchmark_Span_WritesEveryElement()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 2);
        var destination = new float[37];
        Array.Fill(destination, float.NaN);

        engine.Benchmark(warmup: 5, destination);

        for (int i = 0; i < destination.Length; i++)
        {
            Assert.Equal(FakeShim.ExpectedMilliseconds(2, false, 5, i), destination[i]);
        }
    }

    [Fact]
    public void Benchmark_MaxIterations_Accepted()
    {
        using var folder = new ModelFolder();
        using var engine = TrtEngine.Build(folder.Write("net.onnx", Spec), batch: 1);

        float[] ms = engine.Benchmark(warmup: 0, iterations: TrtEngine.MaxIterations);

        Assert.Equal(FakeShim.ExpectedMilliseconds(1, false, 0, TrtEngine.MaxIterations - 1), ms[^1]);
    }

    [Fact]
    public void Benchmark_RandomArguments_MatchFormula()
    {
        using var folder = new ModelFolder();
        string model = folder.Write("net.onnx", Spec);
        Gen.Select(Gen.Int[1, 64], Gen.Int[0, 20], Gen.Int[1, 100], Gen.Bool).Sample(
            (batch, warmup, iterations, strict) =>
            {
                using var engine = TrtEngine.Build(model, batch, strict);
                float[] ms = engine.Benchmark(warmup, iterations);
                for (int i = 0; i < iterations; i++)
                {
                    if (ms[i] != FakeShim.ExpectedMilliseconds(batch, strict, warmup, i))
                    {
                        return false;
                    }
                }
                return engine.Batch == batch && engine.StrictFp32 == strict;
            },
            iter: 60,
            threads: 1,
            seed: "0N0XIzNsQ0O2");
    }
}
