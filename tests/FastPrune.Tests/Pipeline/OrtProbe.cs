using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Independent of the pipeline's own runner: reads the calibration split the way a session draws it
/// (public data API), runs a model in ONNX Runtime with intermediate tensors as extra outputs, and
/// reads a layer's weights back as the least-squares W ((inputs + 1) × outputs, bias row last).
/// </summary>
internal static class OrtProbe
{
    /// <summary>The calibration images a session opened with these counts and seed uses, NCHW.</summary>
    public static float[] CalibrationImages(string dataPath, SampleShape shape, int calib, int eval, int seed, out int count)
    {
        using var source = DataSource.Open(dataPath, shape);
        var split = DataSplit.Create(source.Count, calib, eval, seed);
        count = split.Calibration.Length;
        var images = new float[(long)count * shape.Length];
        var reader = new BatchReader(source, split.Calibration, 64);
        foreach (var b in reader.ReadAll())
            b.Images.Span[..(b.Count * shape.Length)].CopyTo(images.AsSpan(b.Index * reader.BatchSize * shape.Length));
        return images;
    }

    /// <summary>Runs <paramref name="model"/> on n images and returns the named tensors with their shapes.</summary>
    public static (float[] Data, long[] Shape)[] Run(ModelProto model, float[] images, SampleShape shape, int n, params string[] names)
    {
        var proto = model.Clone();
        foreach (var name in names)
            if (proto.Graph.Output.All(o => o.Name != name))
                proto.Graph.Output.Add(new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto), options);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [n, shape.Channels, shape.Height, shape.Width]);
        using var results = session.Run(new RunOptions(), [session.InputNames[0]], [input], names);
        return results.Select(v => (v.GetTensorDataAsSpan<float>().ToArray(), v.GetTensorTypeAndShape().Shape)).ToArray();
    }

    /// <summary>
    /// The layer's weight and bias in <paramref name="model"/> as W (rows: inputs in ONNX weight-row
    /// order, i.e. (ci, ky, kx) for a conv, then the bias if any; columns: outputs), as float64.
    /// </summary>
    public static double[] LayerW(ModelProto model, PrunableLayer layer, out int inputs, out int outputs)
    {
        var index = new GraphIndex(model.Graph);
        var w = index.Initializer(layer.Weight)!;
        var data = TensorData.Floats(w).Span;
        var node = index.Node(layer.Node);
        // Conv [out][in·kh·kw] and Gemm(transB) [out][in] hold Wᵀ; MatMul and plain Gemm hold W.
        bool transposed = layer.OpType == "Conv" || (layer.OpType == "Gemm" && Attr.Int(node, "transB", 0) != 0);
        if (transposed)
        {
            outputs = (int)w.Dims[0];
            inputs = data.Length / outputs;
        }
        else
        {
            inputs = (int)w.Dims[0];
            outputs = (int)w.Dims[1];
        }
        var result = new double[(inputs + (layer.Bias is null ? 0 : 1)) * outputs];
        for (int c = 0; c < inputs; c++)
            for (int o = 0; o < outputs; o++)
                result[c * outputs + o] = transposed ? data[o * inputs + c] : data[c * outputs + o];
        if (layer.Bias is not null)
        {
            var bias = TensorData.Floats(index.Initializer(layer.Bias)!).Span;
            for (int o = 0; o < outputs; o++) result[inputs * outputs + o] = bias[o];
        }
        return result;
    }
}
