using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

internal static partial class FamilyGraphs
{
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
}
