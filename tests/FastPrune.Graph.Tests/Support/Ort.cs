using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Graph.Tests.Support;

/// <summary>Runs models in ONNX Runtime's CPU provider: the reference every graph test compares against.</summary>
internal static class Ort
{
    /// <summary>Runs <paramref name="model"/> on one input and returns every output (name, shape, values).</summary>
    public static List<(string Name, long[] Shape, float[] Values)> Run(byte[] model, float[] input, long[] shape)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 2 };
        using var session = new InferenceSession(model, options);
        var name = session.InputMetadata.Keys.First();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(new RunOptions(), new[] { name }, new[] { value }, session.OutputNames);
        var list = new List<(string, long[], float[])>();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var info = r.GetTensorTypeAndShape();
            list.Add((session.OutputNames[i], info.Shape, r.GetTensorDataAsSpan<float>().ToArray()));
        }
        return list;
    }

    /// <summary>The declared input shape with every symbolic dim set to <paramref name="batch"/>.</summary>
    public static long[] InputShape(OnnxModel model, int batch)
    {
        var index = new GraphIndex(model.Proto.Graph);
        var input = index.Inputs.Values.First();
        return input.Type.TensorType.Shape.Dim.Select(d => d.DimValue > 0 ? d.DimValue : batch).ToArray();
    }

    /// <summary>Seeded standard-normal input of <paramref name="shape"/>.</summary>
    public static float[] RandomInput(long[] shape, int seed)
    {
        var rng = new Random(seed);
        var x = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return x;
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double MaxRelativeDifference(float[] a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        double scale = b.Max(v => Math.Abs((double)v));
        double diff = a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
        return diff / Math.Max(scale, 1e-30);
    }
}
