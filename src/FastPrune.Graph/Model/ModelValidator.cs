using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>Structural checks every loaded model passes before anything else looks at it.</summary>
internal static class ModelValidator
{
    public static void Validate(ModelProto model)
    {
        if (model.Graph is null || (model.Graph.Node.Count == 0 && model.Graph.Output.Count == 0))
            throw new ModelFormatException("not an ONNX model (no graph)");
        if (!model.OpsetImport.Any(o => o.Domain is "" or "ai.onnx"))
            throw new ModelFormatException("no opset import for the default domain");
        long opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Max(o => o.Version);
        if (opset is < OnnxModel.MinOpset or > OnnxModel.MaxOpset)
            throw new ModelFormatException($"opset {opset} is not supported (FastPrune and ONNX Runtime 1.31 support opsets {OnnxModel.MinOpset} to {OnnxModel.MaxOpset})");
        if (model.Graph.SparseInitializer.Count > 0)
            throw new ModelFormatException("sparse initializers are not supported", tensor: model.Graph.SparseInitializer[0].Values?.Name);
        foreach (var t in model.Graph.Initializer)
            TensorData.Validate(t);
        foreach (var v in model.Graph.Input.Concat(model.Graph.Output).Concat(model.Graph.ValueInfo))
        {
            var shape = v.Type?.TensorType?.Shape;
            if (shape is null) continue;
            foreach (var d in shape.Dim)
                if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue < 0)
                    throw new ModelFormatException($"negative dim {d.DimValue}", tensor: v.Name);
        }
        CheckInitializerInputs(model.Graph);
        for (int n = 0; n < model.Graph.Node.Count; n++)
        {
            var node = model.Graph.Node[n];
            foreach (var a in node.Attribute)
                if (a.T is not null)
                {
                    // Only initializers are read from external files; an attribute's tensor would stay empty.
                    if (a.T.DataLocation == TensorProto.Types.DataLocation.External)
                        throw new ModelFormatException($"attribute '{a.Name}' keeps its tensor in external data, which only initializers may do", node: GraphIndex.NodeName(node, n), tensor: a.T.Name);
                    try { TensorData.Validate(a.T); }
                    catch (ModelFormatException e) { throw new ModelFormatException(e.Cause, node: GraphIndex.NodeName(node, n), tensor: e.Tensor); }
                }
        }
        _ = new GraphIndex(model.Graph);
    }

    // A graph input that mirrors an initializer (IR < 4 exports) must declare the initializer's shape:
    // ONNX Runtime refuses the model otherwise.
    private static void CheckInitializerInputs(GraphProto graph)
    {
        if (graph.Input.Count == 0 || graph.Initializer.Count == 0) return;
        var inits = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer) inits.TryAdd(t.Name, t);
        foreach (var v in graph.Input)
        {
            if (!inits.TryGetValue(v.Name, out var t) || v.Type?.TensorType?.Shape is not { } shape) continue;
            bool same = shape.Dim.Count == t.Dims.Count && shape.Dim.Select((d, i) =>
                d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue == t.Dims[i]).All(x => x);
            if (!same)
                throw new ModelFormatException(
                    $"graph input declares shape [{string.Join(",", shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam))}] but its initializer has dims [{string.Join(",", t.Dims)}]", tensor: v.Name);
        }
    }
}
