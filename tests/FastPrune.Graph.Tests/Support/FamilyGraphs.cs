using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

/// <summary>
/// Small graphs in the op patterns torch.onnx 1.13 writes for the structures of issue 10 (eval mode, BatchNorm
/// folded into the convs), built with the GraphBuilder so the tests need no Python and no committed fixture.
/// </summary>
internal static partial class FamilyGraphs
{
    /// <summary>
    /// A RegNetY / ResNeXt block: stem, then 1×1 → grouped 3×3 (4 groups of 4) → squeeze-and-excitation
    /// (GlobalAveragePool → Conv → Relu → Conv → Sigmoid → Mul) → 1×1, residual Add, pooled classifier.
    /// </summary>
    public static ModelProto GroupedSe(string gate = "Sigmoid")
    {
        var b = new GraphBuilder("grouped_se", opset: 13);
        var w = new ZooWeights(b, 101, 200);
        var x = b.Input("input", ElemType.Float, "batch", 3, 8, 8);
        string Conv(string scope, string input, int cout, int cin, int k, int group = 1) =>
            TorchOps.Conv(b, scope, input, w.ConvWeight($"{scope}.weight", cout, cin / group, k), w.Uniform($"{scope}.bias", [cout], 0.1f), k, 1, k / 2, group);
        var stem = TorchOps.Relu(b, "/stem", Conv("/stem", x, 16, 3, 3));
        var a = TorchOps.Relu(b, "/block/a", Conv("/block/a", stem, 16, 16, 1));
        var g = TorchOps.Relu(b, "/block/b", Conv("/block/b", a, 16, 16, 3, group: 4));
        // squeeze-and-excitation: its outer convs share the grouped conv's channel space, its width is its own
        var pooled = b.Node("GlobalAveragePool", [g], name: "/block/se/avgpool/GlobalAveragePool");
        var fc1 = TorchOps.Relu(b, "/block/se/fc1", Conv("/block/se/fc1", pooled, 4, 16, 1));
        var fc2 = Conv("/block/se/fc2", fc1, 16, 4, 1);
        var scale = b.Node(gate, [fc2], name: $"/block/se/{gate}");
        var excited = b.Node("Mul", [scale, g], name: "/block/se/Mul");
        var c = Conv("/block/c", excited, 16, 16, 1);
        var y = TorchOps.Relu(b, "/block", b.Node("Add", [c, stem], name: "/block/Add"));
        var flat = b.Node("Flatten", [b.Node("GlobalAveragePool", [y], name: "/avgpool/GlobalAveragePool")], [Attrs.Int("axis", 1)], name: "/Flatten");
        TorchOps.Gemm(b, "/fc", flat, w.Uniform("fc.weight", [10, 16], 0.25f), w.Uniform("fc.bias", [10], 0.1f), "output");
        b.Output("output", ElemType.Float, "batch", 10);
        return b.Build();
    }

    /// <summary>
    /// A ConvNeXt block (channel-last LayerNorm and Linear over a permuted tensor, layer scale, residual) between a
    /// stem conv and a head conv, with every weight sliced to <paramref name="trunk"/> channels and
    /// <paramref name="hidden"/> MLP units (null: all). Built sliced by hand, it is the reference a pruned full
    /// block must equal: LayerNorm statistics over the kept channels cannot be reproduced by masking.
    /// </summary>
    public static ModelProto ConvNextBlock(int[]? trunk = null, int[]? hidden = null)
    {
        const int c = 8, h = 12;
        var rng = new Random(107);
        float[] Rand(int n, float scale = 0.5f, float center = 0f) => Enumerable.Range(0, n).Select(_ => center + (scale * (float)((2 * rng.NextDouble()) - 1))).ToArray();
        var (stemW, stemB, gamma, beta, w1, b1, w2, b2, layerScale, headW) =
            (Rand(c * 3 * 9), Rand(c, 0.1f), Rand(c, 0.3f, 1f), Rand(c, 0.1f), Rand(c * h), Rand(h, 0.1f), Rand(h * c), Rand(c, 0.1f), Rand(c, 0.3f, 0.7f), Rand(5 * c));
        int[] t = trunk ?? Enumerable.Range(0, c).ToArray(), u = hidden ?? Enumerable.Range(0, h).ToArray();
        // row-major [rows, cols] picked at the given rows and columns
        static float[] Pick(float[] m, int cols, int[] rows, int[] keep, int inner = 1) =>
            rows.SelectMany(r => keep.SelectMany(k => m.AsSpan(((r * cols) + k) * inner, inner).ToArray())).ToArray();
        int[] all3 = [0, 1, 2], one = [0];
        var b = new GraphBuilder("convnext_block", opset: 17);
        var x = b.Input("input", ElemType.Float, "batch", 3, 6, 6);
        var stem = b.Node("Conv", [x, b.Initializer("stem.weight", [t.Length, 3, 3, 3], Pick(stemW, 3, t, all3, 9)), b.Initializer("stem.bias", [t.Length], Pick(stemB, 1, t, one))],
            [Attrs.Ints("pads", 1, 1, 1, 1)], "/stem/Conv");
        var nhwc = b.Node("Transpose", [stem], [Attrs.Ints("perm", 0, 2, 3, 1)], "/block/Transpose");
        var ln = b.Node("LayerNormalization", [nhwc, b.Initializer("block.norm.weight", [t.Length], Pick(gamma, 1, t, one)), b.Initializer("block.norm.bias", [t.Length], Pick(beta, 1, t, one))],
            [Attrs.Int("axis", -1), Attrs.Float("epsilon", 1e-6f)], "/block/LayerNormalization");
        var fc1 = TorchOps.Linear(b, "/block/pwconv1", ln, b.Initializer("onnx::MatMul_1", [t.Length, u.Length], Pick(w1, h, t, u)), b.Initializer("block.pwconv1.bias", [u.Length], Pick(b1, 1, u, one)));
        var act = TorchOps.Gelu(b, "/block/act", fc1);
        var fc2 = TorchOps.Linear(b, "/block/pwconv2", act, b.Initializer("onnx::MatMul_2", [u.Length, t.Length], Pick(w2, c, u, t)), b.Initializer("block.pwconv2.bias", [t.Length], Pick(b2, 1, t, one)));
        var scaled = b.Node("Mul", [b.Initializer("block.layer_scale", [t.Length], Pick(layerScale, 1, t, one)), fc2], name: "/block/Mul");
        var nchw = b.Node("Transpose", [scaled], [Attrs.Ints("perm", 0, 3, 1, 2)], "/block/Transpose_1");
        var y = b.Node("Add", [nchw, stem], name: "/block/Add");
        b.Node("Conv", [y, b.Initializer("head.weight", [5, t.Length, 1, 1], Pick(headW, c, [0, 1, 2, 3, 4], t))], name: "/head/Conv", output: "output");
        b.Output("output", ElemType.Float, "batch", 5, 6, 6);
        return b.Build();
    }

    /// <summary>
    /// An FPN-style neck: two strided convs, a ConvTranspose back up concatenated with a lateral conv, a merge conv,
    /// then nearest Resize (constant scales) concatenated with a second lateral and merged, pooled classifier.
    /// </summary>
    public static ModelProto Fpn()
    {
        var b = new GraphBuilder("fpn", opset: 17);
        var w = new ZooWeights(b, 109, 400);
        var x = b.Input("input", ElemType.Float, "batch", 3, 8, 8);
        string Conv(string scope, string input, int cout, int cin, int k, int stride = 1) =>
            TorchOps.Relu(b, scope, TorchOps.Conv(b, scope, input, w.ConvWeight($"{scope}.weight", cout, cin, k), w.Uniform($"{scope}.bias", [cout], 0.1f), k, stride, k / 2));
        var c1 = Conv("/c1", x, 8, 3, 3);
        var c2 = Conv("/c2", c1, 12, 8, 3, stride: 2);
        var up = b.Node("ConvTranspose", [c2, w.WithStd("up.weight", [12, 6, 2, 2], 0.3f), w.Uniform("up.bias", [6], 0.1f)],
            [Attrs.Ints("kernel_shape", 2, 2), Attrs.Ints("strides", 2, 2)], "/up/ConvTranspose");
        var merged = Conv("/merge", b.Node("Concat", [up, Conv("/lat", c1, 4, 8, 1)], [Attrs.Int("axis", 1)], "/Concat"), 10, 10, 3);
        var pooled = b.Node("MaxPool", [merged], [Attrs.Ints("kernel_shape", 2, 2), Attrs.Ints("strides", 2, 2)], "/pool/MaxPool");
        var resized = b.Node("Resize", [pooled, "", b.Initializer("scales", [4], [1f, 1f, 2f, 2f])],
            [Attrs.String("mode", "nearest"), Attrs.String("coordinate_transformation_mode", "asymmetric"), Attrs.String("nearest_mode", "floor")], "/Resize");
        var top = Conv("/top", b.Node("Concat", [resized, Conv("/lat2", c1, 4, 8, 1)], [Attrs.Int("axis", 1)], "/Concat_1"), 6, 14, 3);
        var flat = b.Node("Flatten", [b.Node("GlobalAveragePool", [top], name: "/GlobalAveragePool")], [Attrs.Int("axis", 1)], name: "/Flatten");
        TorchOps.Gemm(b, "/head", flat, w.Uniform("head.weight", [10, 6], 0.25f), w.Uniform("head.bias", [10], 0.1f), "output");
        b.Output("output", ElemType.Float, "batch", 10);
        return b.Build();
    }
}
