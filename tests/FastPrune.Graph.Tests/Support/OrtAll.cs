using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Graph.Tests.Support;

/// <summary>ONNX Runtime runs that the round-trip and shape tests need beyond <see cref="Ort"/>: exact bytes of outputs, and every intermediate tensor's shape.</summary>
internal static class OrtAll
{
    /// <summary>Runs <paramref name="model"/> and returns each graph output's shape and raw bytes (for bit-identity checks).</summary>
    public static List<(string Name, long[] Shape, byte[] Bytes)> RunBytes(byte[] model, float[] input, long[] shape)
    {
        return Ort.Run(model, input, shape)
            .Select(o => (o.Name, o.Shape, MemoryMarshal.AsBytes(o.Values.AsSpan()).ToArray()))
            .ToList();
    }

    /// <summary>
    /// Adds every node output as a graph output (typed as <paramref name="types"/> says, shape left open so ORT
    /// does not check it against anything), runs without graph optimisations so no tensor is fused away, and
    /// returns the shape ORT computed for each.
    /// </summary>
    public static Dictionary<string, long[]> IntermediateShapes(ModelProto model, IReadOnlyDictionary<string, TensorInfo> types, float[] input, long[] shape)
    {
        var m = model.Clone();
        var declared = m.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var n in m.Graph.Node)
            foreach (var o in n.Output)
            {
                if (o.Length == 0 || !declared.Add(o)) continue;
                m.Graph.Output.Add(new ValueInfoProto
                {
                    Name = o,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = types[o].ElemType } },
                });
            }
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 2 };
        using var session = new InferenceSession(m.ToByteArray(), options);
        var inputName = new GraphIndex(m.Graph).Inputs.Keys.First();
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        var names = session.OutputNames.ToArray();
        using var results = session.Run(new RunOptions(), [inputName], [value], names);
        var map = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            map[names[i]] = results[i].GetTensorTypeAndShape().Shape;
        return map;
    }
}
