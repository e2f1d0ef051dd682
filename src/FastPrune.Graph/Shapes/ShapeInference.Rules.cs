namespace FastPrune.Graph;

/// <summary>The rule table: one inference rule per default-domain op type.</summary>
public static partial class ShapeInference
{
    /// <summary>The op types that have a rule.</summary>
    public static IReadOnlyCollection<string> SupportedOps => Rules.Keys;

    private static readonly Dictionary<string, Action<InferContext>> Rules = BuildRules();

    private static Dictionary<string, Action<InferContext>> BuildRules()
    {
        var r = new Dictionary<string, Action<InferContext>>(StringComparer.Ordinal);
        foreach (var op in new[] { "Relu", "Clip", "Erf", "Sigmoid", "Tanh", "Sqrt", "Neg", "Exp", "Log", "Abs", "HardSigmoid",
                     "HardSwish", "LeakyRelu", "Gelu", "Softmax", "LogSoftmax", "Reciprocal", "Floor", "Ceil", "Not", "Dropout",
                     "BatchNormalization", "InstanceNormalization", "GroupNormalization", "MeanVarianceNormalization", "LRN",
                     "Mish", "Softplus", "Softsign", "Elu", "Selu", "Celu", "ThresholdedRelu", "PRelu", "Shrink", "Sin", "Cos",
                     "Round", "Sign", "CumSum", "Trilu", "ScatterND", "ScatterElements", "Hardmax", "BitwiseNot" })
            r[op] = SameAsInput;
        r["Identity"] = Identity;
        r["Cast"] = Cast;
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mod" })
            r[op] = Broadcast;
        foreach (var op in new[] { "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor" })
            r[op] = Compare;
        r["Where"] = Where;
        r["Conv"] = Conv;
        r["MaxPool"] = Pool;
        r["AveragePool"] = Pool;
        r["GlobalAveragePool"] = GlobalPool;
        r["GlobalMaxPool"] = GlobalPool;
        foreach (var op in new[] { "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceL1", "ReduceSumSquare", "ReduceLogSumExp", "ReduceLogSum" })
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
        r["Pad"] = Pad;
        r["Resize"] = Resize;
        r["Upsample"] = Resize;
        r["ConvTranspose"] = ConvTranspose;
        r["DepthToSpace"] = DepthSpace;
        r["SpaceToDepth"] = DepthSpace;
        r["GridSample"] = GridSample;
        r["Tile"] = Tile;
        r["GatherElements"] = GatherElements;
        r["Range"] = Range;
        r["TopK"] = TopK;
        r["ArgMax"] = ArgReduce;
        r["ArgMin"] = ArgReduce;
        r["Size"] = Size;
        r["Einsum"] = Einsum;
        return r;
    }
}
