using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// A timm ViT/DeiT as <c>torch.onnx.export</c> writes it in eval mode: Linear layers become
/// MatMul(x, Wᵀ) + Add(bias, ·), reshapes take their shapes from Shape→Gather→Unsqueeze→Concat chains
/// (or from int64 initializers when the batch is static), LayerNorm and GELU are decomposed per opset.
/// </summary>
internal sealed partial class VitWriter
{
    private const float Eps = 1e-6f;
    private const float LinearStd = 0.02f;
    private readonly GraphBuilder _b;
    private readonly ZooWeights _w;
    private readonly VitConfig _c;
    private readonly bool _static;

    private VitWriter(VitConfig c, ulong seed, ZooOptions o)
    {
        _c = c;
        _static = o.StaticBatch;
        _b = new GraphBuilder("main_graph", o.Opset, "pytorch") { ProducerVersion = "2.1.0" };
        _w = new ZooWeights(_b, seed, firstOnnxNumber: 1510);
    }

    public static ModelProto Write(VitConfig c, ulong seed, ZooOptions o) => new VitWriter(c, seed, o).Write();

    private ModelProto Write()
    {
        int d = _c.Width;
        DimSpec batch = _static ? 1 : "batch";
        string x = _b.Input("input", ElemType.Float, batch, 3, _c.ImageSize, _c.ImageSize);

        string cls = _w.WithStd("cls_token", [1, 1, d], LinearStd);
        string pos = _w.WithStd("pos_embed", [1, _c.Tokens, d], LinearStd);
        string t = PatchEmbed(x);
        if (!_static)
        {
            // cls_token.expand(B, -1, -1): Expand broadcasts the size-1 dims, so [B, 1, 1] does it.
            string shape = _b.Node("Concat", [TorchOps.DimOf(_b, "", t, 0), TorchOps.Constant(_b, "", 1, 1)], [Attrs.Int("axis", 0)], TorchOps.Name(_b, "", "Concat"));
            cls = _b.Node("Expand", [cls, shape], name: TorchOps.Name(_b, "", "Expand"));
        }

        t = _b.Node("Concat", [cls, t], [Attrs.Int("axis", 1)], TorchOps.Name(_b, "", "Concat"));
        t = _b.Node("Add", [t, pos], name: TorchOps.Name(_b, "", "Add"));

        for (int i = 0; i < _c.Depth; i++)
        {
            t = Block(i, t);
        }

        t = Norm("/norm", "norm", t);
        t = _b.Node("Gather", [t, _b.ConstantScalar(0L, TorchOps.Name(_b, "", "Constant"))], [Attrs.Int("axis", 1)], TorchOps.Name(_b, "", "Gather"));
        string headW = _w.WithStd("head.weight", [_c.Classes, d], LinearStd);
        string headB = _w.Uniform("head.bias", [_c.Classes], 0.01f);
        t = TorchOps.Gemm(_b, "/head", t, headW, headB, "logits");
        _b.Output(t, ElemType.Float, batch, _c.Classes);
        return _b.Build();
    }

    /// <summary>Conv P×P/P, then <c>flatten(2).transpose(1, 2)</c> to [B, patches, D].</summary>
    private string PatchEmbed(string x)
    {
        const string Scope = "/patch_embed";
        int d = _c.Width;
        string w = _w.ConvWeight("patch_embed.proj.weight", d, 3, _c.PatchSize);
        string bias = _w.Uniform("patch_embed.proj.bias", [d], LinearStd);
        string y = TorchOps.Conv(_b, Scope + "/proj", x, w, bias, _c.PatchSize, _c.PatchSize, 0);

        string shape;
        if (_static)
        {
            shape = _b.Int64Vector(_w.OnnxName("Reshape"), 1, d, _c.Tokens - 1);
        }
        else
        {
            // flatten(2) on a 4-D tensor: Reshape to x.shape[:2] + [-1].
            string full = _b.Node("Shape", [y], name: TorchOps.Name(_b, Scope, "Shape"));
            string zero = TorchOps.Constant(_b, Scope, 0);
            string two = TorchOps.Constant(_b, Scope, 2);
            string head = _b.Node("Slice", [full, zero, two, zero], name: TorchOps.Name(_b, Scope, "Slice"));
            shape = _b.Node("Concat", [head, TorchOps.Constant(_b, Scope, -1)], [Attrs.Int("axis", 0)], TorchOps.Name(_b, Scope, "Concat"));
        }

        y = _b.Node("Reshape", [y, shape], name: TorchOps.Name(_b, Scope, "Reshape"));
        return _b.Node("Transpose", [y], [Attrs.Ints("perm", 0, 2, 1)], TorchOps.Name(_b, Scope, "Transpose"));
    }

    private string Block(int i, string x)
    {
        string scope = $"/blocks/blocks.{i}";
        string prefix = $"blocks.{i}";
        string h = Norm(scope + "/norm1", prefix + ".norm1", x);
        h = _c.SeparateQkv ? SeparateAttention(scope + "/attn", prefix + ".attn", h) : FusedAttention(scope + "/attn", prefix + ".attn", h);
        x = _b.Node("Add", [x, h], name: TorchOps.Name(_b, scope, "Add"));

        h = Norm(scope + "/norm2", prefix + ".norm2", x);
        h = Linear(scope + "/mlp/fc1", prefix + ".mlp.fc1", h, _c.Width, _c.MlpDim);
        h = TorchOps.Gelu(_b, scope + "/mlp/act", h);
        h = Linear(scope + "/mlp/fc2", prefix + ".mlp.fc2", h, _c.MlpDim, _c.Width);
        return _b.Node("Add", [x, h], name: TorchOps.Name(_b, scope, "Add"));
    }

    private string Norm(string scope, string prefix, string x)
    {
        string gamma = _w.Around(prefix + ".weight", _c.Width, 1f, 0.1f);
        string beta = _w.Uniform(prefix + ".bias", [_c.Width], 0.02f);
        return TorchOps.LayerNorm(_b, scope, x, gamma, beta, Eps);
    }

    /// <summary>nn.Linear on [B, N, in]: the exporter stores the transposed weight [in, out] under a generated name.</summary>
    private string Linear(string scope, string prefix, string x, int inDim, int outDim)
    {
        string wT = _w.WithStd(_w.OnnxName("MatMul"), [inDim, outDim], LinearStd);
        string bias = _w.Uniform(prefix + ".bias", [outDim], 0.02f);
        return TorchOps.Linear(_b, scope, x, wT, bias);
    }
}
