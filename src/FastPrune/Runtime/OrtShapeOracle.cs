using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Runtime;

/// <summary>
/// The <see cref="IShapeOracle"/> FastPrune uses: ONNX Runtime (CPU, no graph optimisation, so no tensor is fused
/// away) runs a copy of the model with the requested tensors made graph outputs, on seeded random inputs. It
/// knows every standard op and the com.microsoft ones, which is what makes an op without a shape rule harmless.
/// </summary>
internal sealed class OrtShapeOracle : IShapeOracle
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static OrtShapeOracle Instance { get; } = new();

    /// <inheritdoc/>
    public IReadOnlyList<IReadOnlyDictionary<string, MeasuredTensor>> Measure(
        ModelProto model, IReadOnlyList<IReadOnlyDictionary<string, long[]>> runs, IReadOnlyCollection<string> tensors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(tensors);
        var copy = model.Clone();
        var outputs = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        // A name-only output: ONNX Runtime takes its type and shape from the node that produces it.
        foreach (var t in tensors)
            if (outputs.Add(t))
                copy.Graph.Output.Add(new ValueInfoProto { Name = t });
        var wanted = tensors.ToHashSet(StringComparer.Ordinal);
        var types = copy.Graph.Input.ToDictionary(i => i.Name, i => i.Type?.TensorType?.ElemType ?? 0, StringComparer.Ordinal);
        try
        {
            using var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
                IntraOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            using var session = new InferenceSession(copy.ToByteArray(), options);
            var names = session.OutputNames.Where(wanted.Contains).ToArray();
            var result = new List<IReadOnlyDictionary<string, MeasuredTensor>>(runs.Count);
            foreach (var run in runs)
                result.Add(RunOnce(session, run, types, names));
            return result;
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"ONNX Runtime cannot run the model to measure the shapes no rule infers ({BenchmarkException.OneLine(e.Message)})", inner: e);
        }
    }

    private static Dictionary<string, MeasuredTensor> RunOnce(InferenceSession session, IReadOnlyDictionary<string, long[]> shapes,
        Dictionary<string, int> types, string[] names)
    {
        var inputs = new List<OrtValue>();
        try
        {
            var inputNames = new List<string>();
            foreach (var (name, shape) in shapes)
            {
                int type = types.GetValueOrDefault(name, ElementType.Float);
                var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, (TensorElementType)type, shape);
                inputs.Add(value);
                InputFill.Fill(value.GetTensorMutableRawData(), type, seed: 1);
                inputNames.Add(name);
            }
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputNames, inputs, names);
            var map = new Dictionary<string, MeasuredTensor>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++)
            {
                if (!results[i].IsTensor) continue;
                var info = results[i].GetTensorTypeAndShape();
                map[names[i]] = new MeasuredTensor((int)info.ElementDataType, info.Shape);
            }
            return map;
        }
        finally
        {
            foreach (var v in inputs) v.Dispose();
        }
    }
}
