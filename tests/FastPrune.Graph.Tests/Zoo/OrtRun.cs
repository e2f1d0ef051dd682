using FastPrune.Graph.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

/// <summary>Runs a serialised model in ONNX Runtime (CPU) and returns outputs by name.</summary>
public static class OrtRun
{
    public sealed record Result(long[] Shape, float[] Data);

    /// <summary>
    /// Serialises <paramref name="model"/>, opens it from bytes and runs it on one float input.
    /// Returns the graph outputs, or <paramref name="outputs"/> when given.
    /// </summary>
    public static Dictionary<string, Result> Run(ModelProto model, float[] input, long[] inputShape, IReadOnlyList<string>? outputs = null)
    {
        byte[] bytes = model.ToByteArray();
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        string[] names = outputs?.ToArray() ?? model.Graph.Output.Select(o => o.Name).ToArray();
        using var x = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [model.Graph.Input[0].Name], [x], names);
        var map = new Dictionary<string, Result>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            var v = results[i];
            map[names[i]] = new Result(v.GetTensorTypeAndShape().Shape, v.GetTensorDataAsSpan<float>().ToArray());
        }

        return map;
    }

    /// <summary>Uniform values in [-1, 1) from a fixed seed; a batch-1 prefix of a batch-2 input is the same image.</summary>
    public static float[] RandomInput(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (rng.NextSingle() * 2f) - 1f;
        }

        return data;
    }

    /// <summary>
    /// Every value finite, and the largest magnitude in a sane band: random weights that are scaled
    /// wrongly show up as logits near 0 (vanished) or in the thousands (exploded) long before Inf.
    /// </summary>
    public static void AssertFinite(float[] data)
    {
        Assert.NotEmpty(data);
        Assert.All(data, v => Assert.True(float.IsFinite(v), $"non-finite output {v}"));
        float max = data.Max(MathF.Abs);
        Assert.InRange(max, 1e-3f, 1e3f);
    }

    /// <summary>Max |a − b| / max |b|, over the first a.Length elements.</summary>
    public static double RelativeMaxError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs((double)b[i]));
        }

        return diff / scale;
    }
}
