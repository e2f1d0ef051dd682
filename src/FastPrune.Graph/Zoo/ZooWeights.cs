using System.Runtime.InteropServices;
using FastPrune.Graph.Building;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// Makes seeded random initializers for the zoo writers. Values are drawn in the order the writer
/// asks for them, so two variants of one network (static/dynamic, opset 13/17) that request the same
/// weights in the same order get identical weights for one seed — tests compare their outputs.
/// </summary>
internal sealed class ZooWeights
{
    private readonly GraphBuilder _b;
    private readonly ZooRandom _rng;
    private int _onnxCounter;

    public ZooWeights(GraphBuilder builder, ulong seed, int firstOnnxNumber)
    {
        _b = builder;
        _rng = new ZooRandom(seed);
        _onnxCounter = firstOnnxNumber;
    }

    /// <summary>The next torch-style generated name, e.g. <c>onnx::Conv_321</c>.</summary>
    public string OnnxName(string opType) => $"onnx::{opType}_{_onnxCounter++}";

    /// <summary>A tensor with values uniform in [-bound, bound).</summary>
    public string Uniform(string name, ReadOnlySpan<long> dims, float bound)
    {
        byte[] raw = NewRaw(dims, out Span<float> values);
        _rng.FillUniform(values, bound);
        return _b.Initializer(name, dims, raw);
    }

    /// <summary>A uniform tensor with the given standard deviation (bound = std·√3).</summary>
    public string WithStd(string name, ReadOnlySpan<long> dims, float std) => Uniform(name, dims, std * MathF.Sqrt(3f));

    /// <summary>A vector of values uniform in [center − spread, center + spread) (LayerNorm gamma, BN variance).</summary>
    public string Around(string name, int length, float center, float spread)
    {
        byte[] raw = NewRaw([length], out Span<float> values);
        _rng.FillUniform(values, spread);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] += center;
        }

        return _b.Initializer(name, [length], raw);
    }

    /// <summary>
    /// A conv weight [cout, cinPerGroup, k, k] as it looks after torch folds an eval-mode BatchNorm into
    /// it: Kaiming-uniform for ReLU (std √(2/fan_in)) times <paramref name="gain"/>, with each output
    /// channel scaled by its own factor in [0.5, 1.5) the way γ/√var scales channels differently. That
    /// spread gives magnitude-based pruning criteria something real to rank.
    /// </summary>
    public string ConvWeight(string name, int cout, int cinPerGroup, int kernel, float gain = 1f)
    {
        long[] dims = [cout, cinPerGroup, kernel, kernel];
        byte[] raw = NewRaw(dims, out Span<float> values);
        int fanIn = cinPerGroup * kernel * kernel;
        _rng.FillUniform(values, gain * MathF.Sqrt(6f / fanIn));
        for (int oc = 0; oc < cout; oc++)
        {
            float s = 0.5f + _rng.NextFloat();
            foreach (ref float v in values.Slice(oc * fanIn, fanIn))
            {
                v *= s;
            }
        }

        return _b.Initializer(name, dims, raw);
    }

    private static byte[] NewRaw(ReadOnlySpan<long> dims, out Span<float> values)
    {
        long count = 1;
        foreach (long d in dims)
        {
            count *= d;
        }

        byte[] raw = new byte[checked(count * sizeof(float))];
        values = MemoryMarshal.Cast<byte, float>(raw.AsSpan());
        return raw;
    }
}
