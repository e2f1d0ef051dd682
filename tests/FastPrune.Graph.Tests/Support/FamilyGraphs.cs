using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

/// <summary>
/// Small graphs in the op patterns torch.onnx 1.13 writes for the structures of issue 10 (eval mode, BatchNorm
/// folded into the convs), built with the GraphBuilder so the tests need no Python and no committed fixture.
/// </summary>
internal static class FamilyGraphs
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
    /// A torchvision ViT encoder layer around torch 1.13's nn.MultiheadAttention export (train mode, dropout 0):
    /// tokens transposed to [L, N, E], one fused in-projection MatMul + Add, q/k/v cut by <paramref name="chunk"/>
    /// ("Slice" with bounds from a shape chain, or "Split" with constant sizes), reshaped to [L, N·H, hd] by shape
    /// chains (dynamic batch), attention, merged to [L·N, E], out_proj Gemm, reshaped back to [L, N, E].
    /// </summary>
    public static ModelProto TorchMha(string chunk = "Slice")
    {
        const int e = 16, heads = 4; // head dim 4; the class token and 4 patches of 4×4
        var b = new GraphBuilder("torch_mha", opset: 17);
        var w = new ZooWeights(b, 103, 300);
        var x = b.Input("input", ElemType.Float, "batch", 3, 8, 8);
        var patches = TorchOps.Conv(b, "/conv_proj", x, w.ConvWeight("conv_proj.weight", e, 3, 4), w.Uniform("conv_proj.bias", [e], 0.1f), 4, 4, 0);
        var seq = b.Node("Reshape", [patches, b.Int64Vector("onnx::Reshape_patches", 0, e, -1)], name: "/Reshape");
        seq = b.Node("Transpose", [seq], [Attrs.Ints("perm", 0, 2, 1)], "/Transpose");
        // class token: cls.expand(n, -1, -1) then cat along tokens; it keeps the embedding width unprunable, as in DeiT
        var shape = b.Node("Concat", [TorchOps.DimOf(b, "", x, 0), TorchOps.Constant(b, "", 1, 1)], [Attrs.Int("axis", 0)], TorchOps.Name(b, "", "Concat"));
        var token = b.Node("Expand", [w.WithStd("class_token", [1, 1, e], 0.5f), shape], name: TorchOps.Name(b, "", "Expand"));
        seq = b.Node("Concat", [token, seq], [Attrs.Int("axis", 1)], TorchOps.Name(b, "", "Concat"));
        string scope = "/encoder/layer_0/self_attention";
        string ln = TorchOps.LayerNorm(b, "/encoder/layer_0/ln_1", seq, w.Around("ln_1.weight", e, 1f, 0.2f), w.Uniform("ln_1.bias", [e], 0.1f), 1e-6f);
        string xt = b.Node("Transpose", [ln], [Attrs.Ints("perm", 1, 0, 2)], TorchOps.Name(b, scope, "Transpose"));
        string Dim(string t, long i) =>
            b.Node("Gather", [b.Node("Shape", [t], name: TorchOps.Name(b, scope, "Shape")), b.ConstantScalar(i, TorchOps.Name(b, scope, "Constant"))],
                [Attrs.Int("axis", 0)], TorchOps.Name(b, scope, "Gather"));
        string Unsq(string t) => b.Node("Unsqueeze", [t, TorchOps.Constant(b, scope, 0)], name: TorchOps.Name(b, scope, "Unsqueeze"));
        string Cat(params string[] parts) => b.Node("Concat", parts, [Attrs.Int("axis", 0)], TorchOps.Name(b, scope, "Concat"));
        string l = Dim(xt, 0), n = Dim(xt, 1), dim = Dim(xt, 2);
        string headDim = b.Node("Div", [dim, b.ConstantScalar((long)heads, TorchOps.Name(b, scope, "Constant"))], name: TorchOps.Name(b, scope, "Div"));
        string nh = b.Node("Mul", [n, b.ConstantScalar((long)heads, TorchOps.Name(b, scope, "Constant"))], name: TorchOps.Name(b, scope, "Mul"));
        string proj = TorchOps.Linear(b, scope, xt, w.WithStd("onnx::MatMul_in_proj", [e, 3 * e], 0.25f), w.Uniform("in_proj_bias", [3 * e], 0.1f));
        string[] qkv;
        if (chunk == "Split")
        {
            qkv = b.NodeOutputs("Split", [proj, b.Int64Vector("onnx::Split_sizes", e, e, e)], 3, [Attrs.Int("axis", -1)], TorchOps.Name(b, scope, "Split"));
        }
        else
        {
            // torch's chunk(3, -1): bounds from the projection's last dim, (d + 2) / 3 · k
            string last = TorchOps.Constant(b, scope, -1);
            string d = b.Node("Gather", [b.Node("Shape", [proj], name: TorchOps.Name(b, scope, "Shape")), last], [Attrs.Int("axis", 0)], TorchOps.Name(b, scope, "Gather"));
            string per = b.Node("Div", [b.Node("Add", [d, TorchOps.Constant(b, scope, 2)], name: TorchOps.Name(b, scope, "Add")), TorchOps.Constant(b, scope, 3)],
                name: TorchOps.Name(b, scope, "Div"));
            string Bound(long k) => b.Node("Mul", [per, TorchOps.Constant(b, scope, k)], name: TorchOps.Name(b, scope, "Mul"));
            string[] bounds = [TorchOps.Constant(b, scope, 0), Bound(1), Bound(2), Bound(3)];
            qkv = Enumerable.Range(0, 3).Select(k => b.Node("Slice", [proj, bounds[k], bounds[k + 1], last], name: TorchOps.Name(b, scope, "Slice"))).ToArray();
        }
        string ToHeads(string t, params long[] perm) =>
            b.Node("Transpose", [b.Node("Reshape", [t, Cat(Unsq(l), Unsq(nh), Unsq(headDim))], name: TorchOps.Name(b, scope, "Reshape"))],
                [Attrs.Ints("perm", perm)], TorchOps.Name(b, scope, "Transpose"));
        string q = b.Node("Div", [ToHeads(qkv[0], 1, 0, 2), TorchOps.ScalarConstant(b, scope, 2f)], name: TorchOps.Name(b, scope, "Div"));
        string kT = ToHeads(qkv[1], 1, 2, 0);
        string v = ToHeads(qkv[2], 1, 0, 2);
        string attn = b.Node("Softmax", [b.Node("MatMul", [q, kT], name: TorchOps.Name(b, scope, "MatMul"))], [Attrs.Int("axis", -1)], TorchOps.Name(b, scope, "Softmax"));
        string o = b.Node("Transpose", [b.Node("MatMul", [attn, v], name: TorchOps.Name(b, scope, "MatMul"))], [Attrs.Ints("perm", 1, 0, 2)], TorchOps.Name(b, scope, "Transpose"));
        string ln2 = b.Node("Mul", [l, n], name: TorchOps.Name(b, scope, "Mul"));
        o = b.Node("Reshape", [o, Cat(Unsq(ln2), Unsq(dim))], name: TorchOps.Name(b, scope, "Reshape"));
        o = TorchOps.Gemm(b, scope, o, w.WithStd("out_proj.weight", [e, e], 0.25f), w.Uniform("out_proj.bias", [e], 0.1f), null);
        o = b.Node("Reshape", [o, Cat(Unsq(l), Unsq(n), Unsq(Dim(o, 1)))], name: TorchOps.Name(b, scope, "Reshape"));
        o = b.Node("Transpose", [o], [Attrs.Ints("perm", 1, 0, 2)], TorchOps.Name(b, scope, "Transpose"));
        string y = b.Node("Add", [o, seq], name: "/encoder/layer_0/Add");
        string ln3 = TorchOps.LayerNorm(b, "/encoder/layer_0/ln_2", y, w.Around("ln_2.weight", e, 1f, 0.2f), w.Uniform("ln_2.bias", [e], 0.1f), 1e-6f);
        string h = TorchOps.Gelu(b, "/encoder/layer_0/mlp", TorchOps.Linear(b, "/encoder/layer_0/mlp/mlp.0", ln3, w.WithStd("onnx::MatMul_fc1", [e, 32], 0.25f), w.Uniform("fc1.bias", [32], 0.1f)));
        y = b.Node("Add", [y, TorchOps.Linear(b, "/encoder/layer_0/mlp/mlp.3", h, w.WithStd("onnx::MatMul_fc2", [32, e], 0.2f), w.Uniform("fc2.bias", [e], 0.1f))], name: "/encoder/layer_0/Add_1");
        string cls = b.Node("Gather", [y, b.ConstantScalar(0L, "/Constant_cls")], [Attrs.Int("axis", 1)], TorchOps.Name(b, "", "Gather"));
        TorchOps.Gemm(b, "/heads/head", cls, w.Uniform("head.weight", [10, e], 0.25f), w.Uniform("head.bias", [10], 0.1f), "output");
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
