using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// A small CNN written the way opset-9 era exporters (torch 0.4/1.0, keras2onnx) wrote graphs:
/// every tensor named by a counter ("0", "1", …), parameters numbered before activations, empty
/// node names, BatchNormalization left unfolded after bias-free convs, initializers repeated as graph
/// inputs, no value_info, fixed batch 1.
/// <code>
/// 0: 1×3×32×32 → conv3×3 16 → BN → ReLU ─┬→ conv3×3 → BN → ReLU → conv3×3 → BN → Add → ReLU
///                                          └──────────────────────────────────────┘
///   → depthwise 3×3/2 → BN → ReLU → conv1×1 32 → BN → ReLU → MaxPool 2×2 → Flatten → Gemm 2048→10
/// </code>
/// </summary>
internal static class LegacyCnnWriter
{
    public const int Classes = 10;

    public static ModelProto Write(ulong seed)
    {
        var b = new GraphBuilder("torch-jit-export", opset: 9, producerName: "pytorch") { ProducerVersion = "0.4", InitializersAsInputs = true };
        var w = new ZooWeights(b, seed, firstOnnxNumber: 0);
        string x = b.Input(b.NewNumericName(), ElemType.Float, 1, 3, 32, 32);

        // Parameters first, in module order, so they take the low numbers as in old torch exports.
        var c1 = ConvBn(b, w, 16, 3, 3);
        var c2 = ConvBn(b, w, 16, 16, 3);
        var c3 = ConvBn(b, w, 16, 16, 3);
        var dw = ConvBn(b, w, 16, 1, 3);
        var pw = ConvBn(b, w, 32, 16, 1);
        string fcW = w.WithStd(b.NewNumericName(), [Classes, 32 * 8 * 8], 1f / MathF.Sqrt(32 * 8 * 8));
        string fcB = w.Uniform(b.NewNumericName(), [Classes], 0.01f);

        string a = Relu(b, Apply(b, c1, x, 1, 1));
        string r = Relu(b, Apply(b, c2, a, 1, 1));
        r = Apply(b, c3, r, 1, 1);
        r = Relu(b, b.Node("Add", [r, a], name: ""));
        r = Relu(b, Apply(b, dw, r, 2, 16));
        r = Relu(b, Apply(b, pw, r, 1, 1));
        r = b.Node("MaxPool", [r], [Attrs.Ints("kernel_shape", 2, 2), Attrs.Ints("pads", 0, 0, 0, 0), Attrs.Ints("strides", 2, 2)], name: "");
        r = b.Node("Flatten", [r], [Attrs.Int("axis", 1)], name: "");
        r = b.Node("Gemm", [r, fcW, fcB], [Attrs.Float("alpha", 1f), Attrs.Float("beta", 1f), Attrs.Int("transB", 1)], name: "");
        b.Output(r, ElemType.Float, 1, Classes);
        return b.Build();
    }

    private readonly record struct ConvBnParams(string Weight, int Kernel, string Scale, string Bias, string Mean, string Var);

    private static ConvBnParams ConvBn(GraphBuilder b, ZooWeights w, int cout, int cinPerGroup, int k)
    {
        string weight = w.ConvWeight(b.NewNumericName(), cout, cinPerGroup, k);
        string scale = w.Around(b.NewNumericName(), cout, 1f, 0.5f);
        string bias = w.Uniform(b.NewNumericName(), [cout], 0.1f);
        string mean = w.Uniform(b.NewNumericName(), [cout], 0.1f);
        string var = w.Around(b.NewNumericName(), cout, 1f, 0.5f);
        return new(weight, k, scale, bias, mean, var);
    }

    private static string Apply(GraphBuilder b, ConvBnParams p, string x, int stride, int group)
    {
        int pad = p.Kernel / 2;
        string y = b.Node(
            "Conv",
            [x, p.Weight],
            [
                Attrs.Ints("dilations", 1, 1),
                Attrs.Int("group", group),
                Attrs.Ints("kernel_shape", p.Kernel, p.Kernel),
                Attrs.Ints("pads", pad, pad, pad, pad),
                Attrs.Ints("strides", stride, stride),
            ],
            name: "");
        return b.Node(
            "BatchNormalization",
            [y, p.Scale, p.Bias, p.Mean, p.Var],
            [Attrs.Float("epsilon", 1e-5f), Attrs.Float("momentum", 0.9f)],
            name: "");
    }

    private static string Relu(GraphBuilder b, string x) => b.Node("Relu", [x], name: "");
}
