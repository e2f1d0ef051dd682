using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>
/// Infers the type, shape and (for shape tensors) the values of every tensor of a graph, in
/// topological order, with one rule per ONNX op type. An op without a rule is reported by name,
/// never guessed.
/// </summary>
public static partial class ShapeInference
{
    /// <summary>Infers every tensor of <paramref name="index"/>'s graph.</summary>
    /// <param name="index">The indexed graph.</param>
    /// <param name="opset">The default-domain opset the graph was written for.</param>
    /// <param name="bindings">Numbers for symbolic input dims (e.g. <c>batch</c> = 1); others stay symbolic.</param>
    /// <exception cref="ModelFormatException">An op is unsupported, or its inputs contradict its rule.</exception>
    public static Dictionary<string, TensorInfo> Run(GraphIndex index, long opset, IReadOnlyDictionary<string, long>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        var known = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (var t in index.Initializers.Values)
            known[t.Name] = FromInitializer(t);
        foreach (var i in index.Inputs.Values)
            known[i.Name] = FromValueInfo(i, bindings);
        var ctx = new InferContext(known, opset);
        foreach (int n in index.Order)
        {
            var node = index.Node(n);
            ctx.Begin(node, index.NodeName(n));
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                throw ctx.Error($"op '{node.Domain}.{node.OpType}' of a custom domain is not supported");
            try
            {
                InferNode(ctx);
            }
            catch (OverflowException)
            {
                throw ctx.Error("a dimension overflows");
            }
            for (int o = 0; o < node.Output.Count; o++)
                if (node.Output[o].Length > 0 && !known.ContainsKey(node.Output[o]))
                    known[node.Output[o]] = new TensorInfo(0, null);
        }
        return known;
    }

    /// <summary>The op types that have a rule.</summary>
    public static IReadOnlyCollection<string> SupportedOps => Rules.Keys;

    private static void InferNode(InferContext ctx)
    {
        if (!Rules.TryGetValue(ctx.Node.OpType, out var rule))
            throw ctx.Error($"unsupported op '{ctx.Node.OpType}'");
        rule(ctx);
    }

    private static readonly Dictionary<string, Action<InferContext>> Rules = BuildRules();

    private static Dictionary<string, Action<InferContext>> BuildRules()
    {
        var r = new Dictionary<string, Action<InferContext>>(StringComparer.Ordinal);
        foreach (var op in new[] { "Relu", "Clip", "Erf", "Sigmoid", "Tanh", "Sqrt", "Neg", "Exp", "Log", "Abs", "HardSigmoid",
                     "HardSwish", "LeakyRelu", "Gelu", "Softmax", "LogSoftmax", "Reciprocal", "Floor", "Ceil", "Not", "Dropout",
                     "BatchNormalization", "InstanceNormalization" })
            r[op] = SameAsInput;
        r["Identity"] = Identity;
        r["Cast"] = Cast;
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mod" })
            r[op] = Broadcast;
        foreach (var op in new[] { "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or" })
            r[op] = Compare;
        r["Where"] = Where;
        r["Conv"] = Conv;
        r["MaxPool"] = Pool;
        r["AveragePool"] = Pool;
        r["GlobalAveragePool"] = GlobalPool;
        r["GlobalMaxPool"] = GlobalPool;
        foreach (var op in new[] { "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2" })
            r[op] = Reduce;
        r["LayerNormalization"] = LayerNormalization;
        r["Flatten"] = Flatten;
        r["Gemm"] = Gemm;
        r["MatMul"] = MatMul;
        r["Reshape"] = Reshape;
        r["Transpose"] = Transpose;
        r["Concat"] = Concat;
        r["Gather"] = Gather;
        r["Slice"] = Slice;
        r["Squeeze"] = Squeeze;
        r["Unsqueeze"] = Unsqueeze;
        r["Shape"] = Shape;
        r["Expand"] = Expand;
        r["ConstantOfShape"] = ConstantOfShape;
        r["Constant"] = Constant;
        r["Split"] = Split;
        return r;
    }

    private static TensorInfo FromInitializer(TensorProto t)
    {
        var shape = t.Dims.Select(Dim.Of).ToArray();
        Dim[]? values = null;
        long count = TensorData.ElementCount(t.Dims, t.Name);
        if (count <= TensorInfo.MaxTrackedValues && t.DataType is ElementType.Int64 or ElementType.Int32)
            values = TensorData.Integers(t).Select(Dim.Of).ToArray();
        return new TensorInfo(t.DataType, shape, values);
    }

    private static TensorInfo FromValueInfo(ValueInfoProto v, IReadOnlyDictionary<string, long>? bindings)
    {
        var tt = v.Type?.TensorType;
        if (tt is null)
            throw new ModelFormatException("graph input is not a tensor", tensor: v.Name);
        if (tt.Shape is null)
            return new TensorInfo(tt.ElemType, null);
        var shape = tt.Shape.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Dim.Of(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Sym(d.DimParam).Bind(bindings),
            _ => Dim.Unknown,
        }).ToArray();
        return new TensorInfo(tt.ElemType, shape);
    }
}
