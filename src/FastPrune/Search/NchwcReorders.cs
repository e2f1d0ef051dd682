using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// Where ONNX Runtime CPU switches a network between the plain (NCHW) and the blocked (NCHWc) layout, read from the graph
/// by the rules of its NCHWc transformer: convolutions run blocked as ONNX Runtime says for their channels and groups
/// (<see cref="OrtNchwcBlock.Conv"/>); pools of block-aligned tensors, and activations, batch normalisation, Add, Sum,
/// Mul and channel Concat of blocked tensors, stay blocked; anything else needs the plain layout back. A blocked tensor that reaches a plain consumer or a graph output costs a <c>ReorderOutput</c>, a plain one that
/// reaches a blocked convolution or pool a <c>ReorderInput</c>; a latency table adds these to its layers' kernel times
/// (<see cref="LatencyProbe"/>), which leave out the reorders a lone layer pays around itself.
/// </summary>
/// <remarks>The rules follow ONNX Runtime's transformer closely but not in every corner (a Resize or a Transpose to NHWC
/// of a blocked tensor counts as plain); the tests compare the switches with ONNX Runtime's optimised graphs of real
/// networks.</remarks>
internal sealed class NchwcReorders
{
    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal) { "Relu", "Sigmoid", "Tanh", "BatchNormalization" };

    /// <summary>Activations ONNX Runtime fuses into the convolution before choosing layouts, so they stay blocked only there.</summary>
    private static readonly HashSet<string> FusedActivations = new(StringComparer.Ordinal) { "Clip", "LeakyRelu", "HardSigmoid" };

    private readonly GraphIndex _index;
    private readonly Dictionary<string, TensorInfo> _shapes;
    private readonly int _block;
    private readonly long _opset;
    private readonly Dictionary<string, long> _blocked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reorderedIn = new(StringComparer.Ordinal), _reorderedOut = new(StringComparer.Ordinal);

    /// <summary>The reorders the network pays, in graph order.</summary>
    public List<LatencyLayer> Switches { get; } = [];

    /// <summary>The convolutions that run blocked (node index → layout): ONNX Runtime pads their channels to the block.</summary>
    public Dictionary<int, ConvLayout> BlockedConvs { get; } = [];

    private NchwcReorders(GraphIndex index, Dictionary<string, TensorInfo> shapes, int block, long opset) =>
        (_index, _shapes, _block, _opset) = (index, shapes, block, opset);

    /// <summary>The layout switches of the graph in <paramref name="index"/> for channel block <paramref name="block"/>
    /// (<see cref="OrtNchwcBlock.Of"/>; 0: none).</summary>
    /// <param name="index">The graph.</param>
    /// <param name="shapes">Its tensors' shapes at the timed batch.</param>
    /// <param name="block">The engine's channel block; 0 for an engine without a blocked layout.</param>
    /// <param name="opset">The model's default-domain opset (part of the reorders' table keys).</param>
    public static NchwcReorders Of(GraphIndex index, Dictionary<string, TensorInfo> shapes, int block, long opset)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        var r = new NchwcReorders(index, shapes, block, opset);
        if (block == 0) return r;
        foreach (int n in index.Order) r.Visit(n);
        foreach (string output in index.Graph.Output.Select(o => o.Name)) r.NeedPlain(output);
        return r;
    }

    private void Visit(int n)
    {
        var node = _index.Node(n);
        bool handled = node.Domain is "" or "ai.onnx" && node.OpType switch
        {
            "Conv" => Conv(n, node),
            "MaxPool" or "AveragePool" => node.Output.Count == 1 && Pool(node, reorderInput: true),
            "GlobalAveragePool" or "GlobalMaxPool" => Pool(node, reorderInput: false),
            "Add" or "Sum" or "Mul" => Same(node),
            "Concat" => Concat(node),
            _ when Elementwise.Contains(node.OpType) => Pass(node),
            _ when FusedActivations.Contains(node.OpType) => FusedAfterConv(node) && Pass(node),
            _ => false,
        };
        if (handled) return;
        foreach (string input in node.Input) NeedPlain(input);
    }

    private bool Conv(int n, NodeProto node)
    {
        if (node.Input.Count < 2 || _index.Initializer(node.Input[1]) is not { Dims.Count: 4 } w || w.DataType != (int)TensorProto.Types.DataType.Float) return false;
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && _index.Initializer(node.Input[2]) is null) return false;
        if (Dims(node.Input[0]) is not { } x || Dims(node.Output[0]) is null) return false;
        long outC = w.Dims[0], group = Attr.Int(node, "group", 1);
        var layout = OrtNchwcBlock.Conv(w.Dims[1] * group, outC, group);
        if (layout == ConvLayout.Plain) return false;
        bool reorderInput = layout == ConvLayout.Blocked;
        string input = node.Input[0];
        if (reorderInput)
        {
            if (!_blocked.ContainsKey(input) && _reorderedIn.Add(input)) Switches.Add(ReorderInput(x));
        }
        else
        {
            NeedPlain(input);
        }
        _blocked[node.Output[0]] = outC;
        BlockedConvs[n] = layout;
        return true;
    }

    private bool Pool(NodeProto node, bool reorderInput)
    {
        if (node.Input.Count == 0 || Dims(node.Input[0]) is not { } x || x[1] % _block != 0) return false;
        string input = node.Input[0];
        if (!_blocked.ContainsKey(input))
        {
            if (!reorderInput) return false;
            if (_reorderedIn.Add(input)) Switches.Add(ReorderInput(x));
        }
        _blocked[node.Output[0]] = x[1];
        return true;
    }

    /// <summary>Add, Sum, Mul: blocked when every input is, all of one shape.</summary>
    private bool Same(NodeProto node)
    {
        if (node.Input.Count == 0 || node.Input.Any(i => !_blocked.ContainsKey(i))) return false;
        var first = Dims(node.Input[0]);
        if (first is null || node.Input.Any(i => Dims(i) is not { } d || !d.SequenceEqual(first))) return false;
        _blocked[node.Output[0]] = _blocked[node.Input[0]];
        return true;
    }

    private bool Concat(NodeProto node)
    {
        long axis = Attr.Int(node, "axis", 0);
        if (axis != 1 && axis != -3) return false;
        if (node.Input.Count == 0 || node.Input.Any(i => !_blocked.TryGetValue(i, out long c) || c % _block != 0)) return false;
        _blocked[node.Output[0]] = node.Input.Sum(i => _blocked[i]);
        return true;
    }

    private bool Pass(NodeProto node)
    {
        if (node.Input.Count == 0 || !_blocked.TryGetValue(node.Input[0], out long c) || node.Output.Count != 1) return false;
        _blocked[node.Output[0]] = c;
        return true;
    }

    /// <summary>Whether the activation's input comes from a convolution that feeds nothing else (fused before layouts are chosen).</summary>
    private bool FusedAfterConv(NodeProto node) =>
        node.Input.Count > 0 && _index.Producer(node.Input[0]) is >= 0 and int p && _index.Node(p).OpType == "Conv" && _index.Consumers(node.Input[0]).Count == 1;

    /// <summary>A consumer that needs <paramref name="tensor"/> plain: a blocked tensor is reordered back, once.</summary>
    private void NeedPlain(string tensor)
    {
        if (_blocked.TryGetValue(tensor, out long c) && _reorderedOut.Add(tensor) && Dims(tensor) is { } d) Switches.Add(ReorderOutput(d, c));
    }

    private long[]? Dims(string tensor) =>
        tensor.Length > 0 && _shapes.TryGetValue(tensor, out var t) && t.IsStatic && t.ElemType == (int)TensorProto.Types.DataType.Float
            && t.StaticShape() is { Length: 4 } d ? d : null;

    private long Padded(long channels) => OrtNchwcBlock.Padded(channels, _block);

    private LatencyLayer ReorderInput(long[] x) =>
        new("ReorderInput", [x], [false], [], [x[0], Padded(x[1]), x[2], x[3]], _opset, OrtNchwcBlock.Domain);

    private LatencyLayer ReorderOutput(long[] y, long? channels = null)
    {
        long c = channels ?? y[1];
        return new("ReorderOutput", [[y[0], Padded(c), y[2], y[3]]], [false], [Graph.Building.Attrs.Int("channels", c)], [y[0], c, y[2], y[3]], _opset, OrtNchwcBlock.Domain);
    }
}
