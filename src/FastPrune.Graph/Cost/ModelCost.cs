namespace FastPrune.Graph;

/// <summary>
/// Cost of a model at batch 1. MACs are the multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul
/// (attention's q·kᵀ and attn·v included): Conv N·C_out·Π(out spatial)·(C_in/groups)·Π(kernel),
/// ConvTranspose N·C_in·Π(in spatial)·(C_out/groups)·Π(kernel) (every input element is scattered through
/// its group's kernel once, as the equivalent strided Conv's gradient counts it; padding that crops the
/// output does not lower it), Gemm M·N·K, MatMul Π(batch dims)·M·N·K. Element-wise ops, normalisation and pooling are not
/// counted, as in the published figures for ResNet50 (4.09 G), MobileNetV1 (569 M) and DeiT-Base
/// (17.6 G). Params are the elements of every floating-point initializer.
/// </summary>
public sealed record ModelCost(long Macs, long Params, IReadOnlyDictionary<int, long> MacsByNode)
{
    /// <summary>Computes the cost, binding the leading symbolic dim of every graph input to 1.</summary>
    /// <exception cref="ModelFormatException">A counted op has a shape that is not known at batch 1.</exception>
    public static ModelCost Compute(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            var index = new GraphIndex(model.Proto.Graph);
            return Compute(index, ShapeInference.Run(index, model, BatchOneBindings(index)));
        }
        catch (ModelFormatException e) when (model.SourcePath is not null && e.File is null)
        {
            // errors found after loading must still name the file, like the loader's
            throw e.InFile(model.SourcePath);
        }
    }

    /// <summary>Computes the cost from already inferred shapes.</summary>
    /// <exception cref="ModelFormatException">A counted op has a shape that is not static, or its MACs overflow 64 bits.</exception>
    public static ModelCost Compute(GraphIndex index, IReadOnlyDictionary<string, TensorInfo> shapes)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(shapes);
        long macs = 0;
        var byNode = new Dictionary<int, long>();
        foreach (int n in index.Order)
        {
            var node = index.Node(n);
            long m;
            try
            {
                m = node.OpType switch
                {
                    "Conv" => ConvMacs(index, n, shapes, node.Output[0]),
                    "ConvTranspose" => ConvMacs(index, n, shapes, node.Input[0]),
                    "Gemm" or "MatMul" => LinearMacs(index, n, shapes),
                    _ => 0,
                };
                if (m > 0) byNode[n] = m;
                macs = checked(macs + m);
            }
            catch (OverflowException)
            {
                // Only a hostile or broken shape (a dimension of 2^62) gets here: a model problem, not a crash.
                throw new ModelFormatException("MACs overflow 64 bits: the shapes are too large to be a real network", node: index.NodeName(n));
            }
        }
        long parameters = 0;
        foreach (var t in index.Initializers.Values)
            if (ElementType.IsFloating(t.DataType))
                parameters += TensorData.ElementCount(t.Dims, t.Name);
        return new ModelCost(macs, parameters, byNode);
    }

    /// <summary>Bindings that set the first dim of every graph input to 1 when it is symbolic.</summary>
    public static Dictionary<string, long> BatchOneBindings(GraphIndex index)
    {
        var b = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var i in index.Inputs.Values)
        {
            var dims = i.Type?.TensorType?.Shape?.Dim;
            if (dims is { Count: > 0 } && dims[0].ValueCase == Onnx.TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
                b[dims[0].DimParam] = 1;
        }
        return b;
    }

    private static long[] Static(GraphIndex index, int n, IReadOnlyDictionary<string, TensorInfo> shapes, string tensor)
    {
        if (shapes.TryGetValue(tensor, out var t) && t.IsStatic)
            return t.StaticShape();
        string why = t?.UnknownReason is { } r ? $": {r}" : "";
        throw new ModelFormatException($"shape of '{tensor}' is not known at batch 1, so its MACs cannot be counted{why}", node: index.NodeName(n));
    }

    /// <summary>
    /// Conv: Π(output) · Π(weight[1..]) = N·C_out·Π(out spatial) · (C_in/groups)·Π(kernel).
    /// ConvTranspose (weight [C_in, C_out/groups, k…]): Π(input) · Π(weight[1..]) = N·C_in·Π(in spatial) · (C_out/groups)·Π(kernel).
    /// </summary>
    private static long ConvMacs(GraphIndex index, int n, IReadOnlyDictionary<string, TensorInfo> shapes, string perElement)
    {
        var node = index.Node(n);
        var w = Static(index, n, shapes, node.Input[1]);
        var y = Static(index, n, shapes, perElement);
        long m = 1;
        foreach (var d in y) m = checked(m * d);
        for (int i = 1; i < w.Length; i++) m = checked(m * w[i]);
        return m;
    }

    private static long LinearMacs(GraphIndex index, int n, IReadOnlyDictionary<string, TensorInfo> shapes)
    {
        var node = index.Node(n);
        var a = Static(index, n, shapes, node.Input[0]);
        var y = Static(index, n, shapes, node.Output[0]);
        long k = node.OpType == "Gemm" && Attr.Int(node, "transA", 0) != 0 ? a[0] : a[^1];
        long m = k;
        foreach (var d in y) m = checked(m * d);
        return m;
    }
}
