using System.Globalization;
using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// One layer configuration of a <see cref="LatencyTable"/>: a Conv, Gemm or MatMul node with the static shapes of its
/// inputs at the timed batch, which of them are weights, and its attributes (kernel, strides, pads, dilations, groups,
/// transposes). Two nodes with the same <see cref="Key"/> cost the same on one engine, wherever they sit in a network,
/// so a pruned network's layers are mostly configurations the table has already timed.
/// </summary>
/// <param name="Op">The ONNX op type.</param>
/// <param name="Shapes">Static shape of each input, in node order (an omitted optional input: empty).</param>
/// <param name="IsWeight">Per input, whether it is an initializer (timed as one) or an activation (fed as an input).</param>
/// <param name="Attributes">The node's attributes, cloned.</param>
/// <param name="OutputShape">The static shape of the node's output.</param>
/// <param name="Opset">The default-domain opset of the model the node came from.</param>
/// <param name="Domain">The op's domain: empty for ONNX's own ops; ONNX Runtime's blocked-layout domain for the layout
/// reorders a table times (<see cref="NchwcReorders"/>).</param>
internal sealed record LatencyLayer(string Op, long[][] Shapes, bool[] IsWeight, IReadOnlyList<AttributeProto> Attributes, long[] OutputShape, long Opset,
    string Domain = "")
{
    /// <summary>The ops a table times one by one: they hold nearly all of a CNN's or ViT's time, and their cost moves
    /// with the pruned channel counts. The others (activations, pooling, normalisation) are left to the fit's constant.</summary>
    public static readonly IReadOnlySet<string> TimedOps = new HashSet<string>(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul" };

    /// <summary>The table key: op, shapes, weight flags and attributes in a canonical text (names sorted).</summary>
    public string Key { get; } = string.Join('|',
        Op,
        string.Join(';', Shapes.Select((s, i) => (IsWeight[i] ? "w" : "x") + string.Join('x', s.Select(d => d.ToString(CultureInfo.InvariantCulture))))),
        // Protobuf's JSON text of a message is deterministic; sorting by name makes the key independent of exporter order.
        string.Join(';', Attributes.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => a.ToString())),
        "opset" + Opset.ToString(CultureInfo.InvariantCulture) + (Domain.Length == 0 ? "" : "|" + Domain));

    /// <summary>The timed layers of <paramref name="model"/> at <paramref name="batch"/>, in graph order.</summary>
    /// <param name="model">A model whose image input's batch is dynamic or equal to <paramref name="batch"/>.</param>
    /// <param name="batch">The batch the engine runs (bound to the model's symbolic batch dim).</param>
    /// <exception cref="ModelFormatException">A timed node's shapes are not static at that batch, or one is not float.</exception>
    public static List<LatencyLayer> Of(OnnxModel model, int batch) => InNetwork(model, batch, block: 0);

    /// <summary>What a table sums for <paramref name="model"/> at <paramref name="batch"/>: its timed layers in graph order,
    /// then the layout reorders the network pays on an engine with channel block <paramref name="block"/>
    /// (<see cref="NchwcReorders"/>; none for 0). A convolution that runs blocked is keyed by the channels it computes,
    /// padded to the block (<see cref="PaddedTo"/>): a 40-channel one costs what a 48-channel one does on a 16-block
    /// engine, so the table times one configuration where a search meets up to 16.</summary>
    /// <exception cref="ModelFormatException">A timed node's shapes are not static at that batch, or one is not float.</exception>
    public static List<LatencyLayer> InNetwork(OnnxModel model, int batch, int block)
    {
        var (index, shapes) = ShapesAt(model, batch);
        var reorders = NchwcReorders.Of(index, shapes, block, model.Opset);
        var layers = new List<LatencyLayer>();
        foreach (int n in index.Order)
        {
            if (At(index, n, shapes, model.Opset) is not { } layer) continue;
            layers.Add(reorders.BlockedConvs.TryGetValue(n, out var layout) ? layer.PaddedTo(block, layout == ConvLayout.Blocked) : layer);
        }
        layers.AddRange(reorders.Switches);
        return layers;
    }

    /// <summary>This convolution as ONNX Runtime runs it blocked with channel block <paramref name="block"/>: output channels
    /// (and input channels when <paramref name="inputBlocked"/>, the input then being a blocked tensor) padded up to the
    /// block, a depthwise one's groups with them; the padded part is zeros there and computed all the same. A grouped
    /// convolution other than depthwise is left as it is (its padding is not modelled).</summary>
    internal LatencyLayer PaddedTo(int block, bool inputBlocked)
    {
        if (Op != "Conv" || block < 1 || Shapes.Length < 2 || Shapes[0].Length != 4 || Shapes[1].Length != 4 || OutputShape.Length != 4) return this;
        long group = Attributes.FirstOrDefault(a => a.Name == "group")?.I ?? 1;
        long cin = Shapes[0][1], cout = Shapes[1][0];
        bool depthwise = group > 1 && group == cin && cout == cin && Shapes[1][1] == 1;
        if (group != 1 && !depthwise) return this;
        long cout2 = OrtNchwcBlock.Padded(cout, block), cin2 = depthwise || inputBlocked ? OrtNchwcBlock.Padded(cin, block) : cin;
        if (cout2 == cout && cin2 == cin) return this;
        var shapes = Shapes.Select(s => (long[])s.Clone()).ToArray();
        shapes[0][1] = cin2;
        shapes[1][0] = cout2;
        if (!depthwise) shapes[1][1] = cin2;
        if (shapes.Length > 2 && shapes[2].Length == 1) shapes[2][0] = cout2;
        var attributes = Attributes.Select(a => a.Name == "group" && depthwise ? Graph.Building.Attrs.Int("group", cout2) : a.Clone()).ToList();
        var output = (long[])OutputShape.Clone();
        output[1] = cout2;
        // A new record, not `with`: the key is computed once, at construction.
        return new LatencyLayer(Op, shapes, IsWeight, attributes, output, Opset, Domain);
    }

    /// <summary>The graph index of <paramref name="model"/> and its tensors' shapes with the batch bound to <paramref name="batch"/>.</summary>
    internal static (GraphIndex Index, Dictionary<string, TensorInfo> Shapes) ShapesAt(OnnxModel model, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var index = new GraphIndex(model.Proto.Graph);
        var bindings = ModelCost.BatchOneBindings(index).ToDictionary(b => b.Key, _ => (long)batch, StringComparer.Ordinal);
        return (index, ShapeInference.Run(index, model, bindings));
    }

    /// <summary>The layer of node <paramref name="n"/>, or null when it is not a <see cref="TimedOps"/> node.</summary>
    /// <exception cref="ModelFormatException">The node is timed but its shapes are not static, or one is not float.</exception>
    internal static LatencyLayer? At(GraphIndex index, int n, Dictionary<string, TensorInfo> shapes, long opset)
    {
        var node = index.Node(n);
        if (!TimedOps.Contains(node.OpType) || node.Domain is not ("" or "ai.onnx")) return null;
        var dims = new long[node.Input.Count][];
        var weight = new bool[node.Input.Count];
        for (int i = 0; i < node.Input.Count; i++)
        {
            string name = node.Input[i];
            if (name.Length == 0) { dims[i] = []; continue; }
            dims[i] = StaticFloat(index, n, shapes, name);
            weight[i] = index.Initializers.ContainsKey(name);
        }
        var output = StaticFloat(index, n, shapes, node.Output[0]);
        return new LatencyLayer(node.OpType, dims, weight, node.Attribute.Select(a => a.Clone()).ToList(), output, opset);
    }

    private static long[] StaticFloat(GraphIndex index, int n, Dictionary<string, TensorInfo> shapes, string tensor)
    {
        if (!shapes.TryGetValue(tensor, out var t) || !t.IsStatic)
            throw new ModelFormatException($"shape of '{tensor}' is not static, so the layer cannot be looked up in a latency table", node: index.NodeName(n));
        if (t.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new ModelFormatException($"'{tensor}' is not float32; a latency table times float32 layers only", node: index.NodeName(n));
        return t.StaticShape();
    }
}
