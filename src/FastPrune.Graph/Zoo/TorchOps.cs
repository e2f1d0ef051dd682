using FastPrune.Graph.Building;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// The op patterns <c>torch.onnx.export</c> emits for common modules in eval mode, with torch's
/// node naming (<c>{scope}/{Op}</c>, then <c>_1</c>, <c>_2</c> … for repeats within a scope).
/// </summary>
internal static class TorchOps
{
    public static string Name(GraphBuilder b, string scope, string op) => b.UniqueNodeName($"{scope}/{op}");

    /// <summary>Conv with every attribute written out, as torch does.</summary>
    public static string Conv(GraphBuilder b, string scope, string x, string w, string? bias, int kernel, int stride, int pad, int group = 1) =>
        b.Node(
            "Conv",
            bias is null ? [x, w] : [x, w, bias],
            [
                Attrs.Ints("dilations", 1, 1),
                Attrs.Int("group", group),
                Attrs.Ints("kernel_shape", kernel, kernel),
                Attrs.Ints("pads", pad, pad, pad, pad),
                Attrs.Ints("strides", stride, stride),
            ],
            name: Name(b, scope, "Conv"));

    public static string Relu(GraphBuilder b, string scope, string x) => b.Node("Relu", [x], name: Name(b, scope, "Relu"));

    public static string Gemm(GraphBuilder b, string scope, string x, string w, string bias, string? output) =>
        b.Node("Gemm", [x, w, bias], [Attrs.Float("alpha", 1f), Attrs.Float("beta", 1f), Attrs.Int("transB", 1)], Name(b, scope, "Gemm"), output);

    /// <summary>nn.Linear on a 3-D input: MatMul by the transposed weight, then Add with the bias first.</summary>
    public static string Linear(GraphBuilder b, string scope, string x, string wT, string bias)
    {
        string mm = b.Node("MatMul", [x, wT], name: Name(b, scope, "MatMul"));
        return b.Node("Add", [bias, mm], name: Name(b, scope, "Add"));
    }

    public static string Constant(GraphBuilder b, string scope, params ReadOnlySpan<long> values) =>
        b.ConstantInt64(values, Name(b, scope, "Constant"));

    public static string ScalarConstant(GraphBuilder b, string scope, float value) =>
        b.ConstantScalar(value, Name(b, scope, "Constant"));

    /// <summary>Unsqueeze at axis 0: axes attribute before opset 13, axes input from 13.</summary>
    public static string Unsqueeze0(GraphBuilder b, string scope, string x)
    {
        string name = Name(b, scope, "Unsqueeze");
        return b.Opset >= 13
            ? b.Node("Unsqueeze", [x, Constant(b, scope, 0)], name: name)
            : b.Node("Unsqueeze", [x], [Attrs.Ints("axes", 0)], name: name);
    }

    /// <summary><c>x.shape[index]</c> as a 1-element int64 tensor: Shape → Gather(scalar) → Unsqueeze.</summary>
    public static string DimOf(GraphBuilder b, string scope, string x, long index)
    {
        string shape = b.Node("Shape", [x], name: Name(b, scope, "Shape"));
        string idx = b.ConstantScalar(index, Name(b, scope, "Constant"));
        string dim = b.Node("Gather", [shape, idx], [Attrs.Int("axis", 0)], Name(b, scope, "Gather"));
        return Unsqueeze0(b, scope, dim);
    }

    /// <summary>
    /// nn.LayerNorm over the last axis: one LayerNormalization op from opset 17, otherwise the
    /// decomposition torch writes for older opsets.
    /// </summary>
    public static string LayerNorm(GraphBuilder b, string scope, string x, string gamma, string beta, float eps)
    {
        if (b.Opset >= 17)
        {
            return b.Node(
                "LayerNormalization",
                [x, gamma, beta],
                [Attrs.Int("axis", -1), Attrs.Float("epsilon", eps)],
                Name(b, scope, "LayerNormalization"));
        }

        string mean = b.Node("ReduceMean", [x], [Attrs.Ints("axes", -1), Attrs.Int("keepdims", 1)], Name(b, scope, "ReduceMean"));
        string d = b.Node("Sub", [x, mean], name: Name(b, scope, "Sub"));
        string sq = b.Node("Pow", [d, ScalarConstant(b, scope, 2f)], name: Name(b, scope, "Pow"));
        string var = b.Node("ReduceMean", [sq], [Attrs.Ints("axes", -1), Attrs.Int("keepdims", 1)], Name(b, scope, "ReduceMean"));
        string ve = b.Node("Add", [var, ScalarConstant(b, scope, eps)], name: Name(b, scope, "Add"));
        string sd = b.Node("Sqrt", [ve], name: Name(b, scope, "Sqrt"));
        string n = b.Node("Div", [d, sd], name: Name(b, scope, "Div"));
        string m = b.Node("Mul", [n, gamma], name: Name(b, scope, "Mul"));
        return b.Node("Add", [m, beta], name: Name(b, scope, "Add"));
    }

    /// <summary>Exact (erf) GELU as torch writes it below opset 20: x · 0.5 · (1 + erf(x / √2)).</summary>
    public static string Gelu(GraphBuilder b, string scope, string x)
    {
        string div = b.Node("Div", [x, ScalarConstant(b, scope, 1.4142135381698608f)], name: Name(b, scope, "Div"));
        string erf = b.Node("Erf", [div], name: Name(b, scope, "Erf"));
        string add = b.Node("Add", [erf, ScalarConstant(b, scope, 1f)], name: Name(b, scope, "Add"));
        string mul = b.Node("Mul", [x, add], name: Name(b, scope, "Mul"));
        return b.Node("Mul", [mul, ScalarConstant(b, scope, 0.5f)], name: Name(b, scope, "Mul"));
    }
}
