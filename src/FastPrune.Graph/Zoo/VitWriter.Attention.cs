using FastPrune.Graph.Building;

namespace FastPrune.Graph.Zoo;

internal sealed partial class VitWriter
{
    /// <summary>
    /// timm Attention: qkv(x).reshape(B, N, 3, H, hd).permute(2, 0, 3, 1, 4), q, k, v = unbind(0),
    /// softmax(q @ kᵀ · scale) @ v, transpose(1, 2).reshape(B, N, C), proj.
    /// </summary>
    private string FusedAttention(string scope, string prefix, string x)
    {
        var bn = BatchAndTokens(scope, x);
        string qkv = Linear(scope + "/qkv", prefix + ".qkv", x, _c.Width, 3 * _c.Width);
        qkv = _b.Node("Reshape", [qkv, ShapeOf(scope, bn, 3, _c.Heads, _c.HeadDim)], name: TorchOps.Name(_b, scope, "Reshape"));
        qkv = _b.Node("Transpose", [qkv], [Attrs.Ints("perm", 2, 0, 3, 1, 4)], TorchOps.Name(_b, scope, "Transpose"));
        string q = Pick(scope, qkv, 0);
        string k = Pick(scope, qkv, 1);
        string v = Pick(scope, qkv, 2);
        k = _b.Node("Transpose", [k], [Attrs.Ints("perm", 0, 1, 3, 2)], TorchOps.Name(_b, scope, "Transpose"));
        return Attend(scope, prefix, bn, q, k, v);
    }

    /// <summary>The same attention with q, k and v as three separate Linear layers, each reshaped to heads.</summary>
    private string SeparateAttention(string scope, string prefix, string x)
    {
        var bn = BatchAndTokens(scope, x);
        string q = Heads(scope, prefix, "q", bn, x);
        string k = Heads(scope, prefix, "k", bn, x);
        string v = Heads(scope, prefix, "v", bn, x);
        k = _b.Node("Transpose", [k], [Attrs.Ints("perm", 0, 1, 3, 2)], TorchOps.Name(_b, scope, "Transpose"));
        return Attend(scope, prefix, bn, q, k, v);
    }

    private string Heads(string scope, string prefix, string which, (string? B, string? N) bn, string x)
    {
        string y = Linear($"{scope}/{which}", $"{prefix}.{which}", x, _c.Width, _c.Width);
        y = _b.Node("Reshape", [y, ShapeOf(scope, bn, _c.Heads, _c.HeadDim)], name: TorchOps.Name(_b, scope, "Reshape"));
        return _b.Node("Transpose", [y], [Attrs.Ints("perm", 0, 2, 1, 3)], TorchOps.Name(_b, scope, "Transpose"));
    }

    private string Attend(string scope, string prefix, (string? B, string? N) bn, string q, string kT, string v)
    {
        string a = _b.Node("MatMul", [q, kT], name: TorchOps.Name(_b, scope, "MatMul"));
        a = _b.Node("Mul", [a, TorchOps.ScalarConstant(_b, scope, 1f / MathF.Sqrt(_c.HeadDim))], name: TorchOps.Name(_b, scope, "Mul"));
        a = _b.Node("Softmax", [a], [Attrs.Int("axis", -1)], TorchOps.Name(_b, scope, "Softmax"));
        string o = _b.Node("MatMul", [a, v], name: TorchOps.Name(_b, scope, "MatMul"));
        o = _b.Node("Transpose", [o], [Attrs.Ints("perm", 0, 2, 1, 3)], TorchOps.Name(_b, scope, "Transpose"));
        o = _b.Node("Reshape", [o, ShapeOf(scope, bn, _c.Width)], name: TorchOps.Name(_b, scope, "Reshape"));
        return Linear(scope + "/proj", prefix + ".proj", o, _c.Width, _c.Width);
    }

    /// <summary><c>qkv[index]</c> along axis 0 (torch's unbind written as Gather).</summary>
    private string Pick(string scope, string qkv, long index) =>
        _b.Node("Gather", [qkv, _b.ConstantScalar(index, TorchOps.Name(_b, scope, "Constant"))], [Attrs.Int("axis", 0)], TorchOps.Name(_b, scope, "Gather"));

    /// <summary>
    /// <c>B, N, C = x.shape</c>: two 0-D int64 tensors, shared by every reshape of this attention.
    /// Static exports have folded them away, so both are null there.
    /// </summary>
    private (string? B, string? N) BatchAndTokens(string scope, string x)
    {
        if (_static)
        {
            return (null, null);
        }

        string Gather(long index)
        {
            string shape = _b.Node("Shape", [x], name: TorchOps.Name(_b, scope, "Shape"));
            string idx = _b.ConstantScalar(index, TorchOps.Name(_b, scope, "Constant"));
            return _b.Node("Gather", [shape, idx], [Attrs.Int("axis", 0)], TorchOps.Name(_b, scope, "Gather"));
        }

        return (Gather(0), Gather(1));
    }

    /// <summary>The shape (B, N, tail…): a Concat of unsqueezed B, N and constants, or one int64 initializer when static.</summary>
    private string ShapeOf(string scope, (string? B, string? N) bn, params ReadOnlySpan<long> tail)
    {
        if (bn.B is null || bn.N is null)
        {
            long[] dims = [1, _c.Tokens, .. tail];
            return _b.Int64Vector(_w.OnnxName("Reshape"), dims);
        }

        var parts = new List<string> { TorchOps.Unsqueeze0(_b, scope, bn.B), TorchOps.Unsqueeze0(_b, scope, bn.N) };
        foreach (long t in tail)
        {
            parts.Add(TorchOps.Constant(_b, scope, t));
        }

        return _b.Node("Concat", [.. parts], [Attrs.Int("axis", 0)], TorchOps.Name(_b, scope, "Concat"));
    }
}
