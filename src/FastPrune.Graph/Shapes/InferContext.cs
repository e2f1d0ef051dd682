using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>The node being inferred and what is known of its inputs.</summary>
internal sealed class InferContext(Dictionary<string, TensorInfo> known, long opset, GraphIndex graph)
{
    public NodeProto Node { get; private set; } = null!;

    public string Label { get; private set; } = "";

    public long Opset { get; } = opset;

    /// <summary>Everything inferred so far.</summary>
    public Dictionary<string, TensorInfo> Known => known;

    public void Begin(NodeProto node, string label)
    {
        Node = node;
        Label = label;
    }

    public ModelFormatException Error(string cause) => new(cause, node: Label);

    public bool Has(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;

    public TensorInfo In(int i)
    {
        if (!Has(i))
            throw Error($"{Node.OpType} needs input {i}");
        return known.TryGetValue(Node.Input[i], out var t) ? t : new TensorInfo(0, null);
    }

    /// <summary>The input's shape; its rank must be known.</summary>
    public Dim[] Shape(int i)
    {
        var s = In(i).Shape;
        return s ?? throw Error($"the rank of input '{Node.Input[i]}' is unknown");
    }

    /// <summary>The values of a constant integer input, which the op needs to know its output.</summary>
    /// <exception cref="UninferableException">The values are not computable from constants and shapes.</exception>
    public Dim[] Values(int i, string what)
    {
        var v = In(i).Values;
        return v ?? throw new UninferableException($"{what} ('{Node.Input[i]}') is not computable from constants and shapes", Label);
    }

    /// <summary>The values of a constant integer input, each a known number.</summary>
    public long[] Ints(int i, string what)
    {
        var v = Values(i, what);
        if (v.Any(d => !d.IsKnown))
            throw new UninferableException($"{what} ('{Node.Input[i]}') is not a constant", Label);
        return v.Select(d => d.Value).ToArray();
    }

    /// <summary>
    /// The float values of a constant input (an initializer or a Constant node's tensor), e.g. Resize scales;
    /// an empty array for an absent or empty input.
    /// </summary>
    /// <exception cref="UninferableException">The input is computed at run time.</exception>
    public float[] ConstantFloats(int i, string what)
    {
        if (!Has(i)) return [];
        var name = Node.Input[i];
        var t = graph.Initializer(name);
        if (t is null && graph.Producer(name) is var p && p >= 0 && graph.Node(p) is { OpType: "Constant" } k)
            t = Attr.Find(k, "value")?.T;
        if (t is null)
        {
            if (In(i).Shape is [{ IsKnown: true, Value: 0 }]) return [];
            throw new UninferableException($"{what} ('{name}') is not a constant", Label);
        }
        if (t.DataType == ElementType.Float) return TensorData.Floats(t).ToArray();
        return TensorData.Integers(t).Select(v => (float)v).ToArray();
    }

    /// <summary>True when input <paramref name="i"/> is absent or an empty tensor (optional inputs exporters fill with []).</summary>
    public bool AbsentOrEmpty(int i) =>
        !Has(i) || In(i).Shape is { } s && s.Any(d => d.IsKnown && d.Value == 0);

    /// <summary>Axes from an attribute (older opsets) or from input <paramref name="input"/> (newer ones).</summary>
    public long[]? Axes(string attr, int input) =>
        Attr.Ints(Node, attr) ?? (Has(input) ? Ints(input, attr) : null);

    public int NormalizeAxis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw Error($"axis {axis} is out of range for rank {rank}");
        return (int)a;
    }

    public void Out(int o, TensorInfo info)
    {
        if (o < Node.Output.Count && Node.Output[o].Length > 0)
        {
            if (info.Values is { Length: > TensorInfo.MaxTrackedValues })
                info = info with { Values = null };
            known[Node.Output[o]] = info;
        }
    }
}
