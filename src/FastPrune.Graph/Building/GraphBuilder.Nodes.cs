using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

public sealed partial class GraphBuilder
{
    /// <summary>Appends a single-output node and returns the output tensor name.</summary>
    /// <param name="opType">ONNX operator, e.g. <c>"Conv"</c>.</param>
    /// <param name="inputs">Input tensor names in order; <c>""</c> marks an omitted optional input. Not checked for existence.</param>
    /// <param name="attributes">Attributes, see <see cref="Attrs"/>.</param>
    /// <param name="name">Node name; <see langword="null"/> picks <c>/{opType}</c> made unique; <c>""</c> leaves it empty as old exporters did.</param>
    /// <param name="output">Output tensor name; <see langword="null"/> uses <c>{name}_output_0</c> (or a numeric name when the node is unnamed).</param>
    /// <param name="domain">Operator domain; empty for the default ONNX domain.</param>
    /// <exception cref="ArgumentException">An argument is null or empty where a value is required, or the node or output name is taken.</exception>
    public string Node(
        string opType,
        ReadOnlySpan<string> inputs,
        ReadOnlySpan<AttributeProto> attributes = default,
        string? name = null,
        string? output = null,
        string domain = "")
    {
        var node = MakeNode(opType, inputs, attributes, name, domain);
        node.Output.Add(Define(output ?? DefaultOutput(node.Name, 0), nameof(output)));
        Graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>Appends a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException">An argument is null or empty where a value is required, or the node or an output name is taken.</exception>
    public string[] NodeOutputs(
        string opType,
        ReadOnlySpan<string> inputs,
        int outputCount,
        ReadOnlySpan<AttributeProto> attributes = default,
        string? name = null,
        string domain = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        var node = MakeNode(opType, inputs, attributes, name, domain);
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = Define(DefaultOutput(node.Name, i), nameof(name));
            node.Output.Add(outputs[i]);
        }

        Graph.Node.Add(node);
        return outputs;
    }

    /// <summary>
    /// Appends a hand-made node as is, with no checks at all (for deliberately invalid graphs).
    /// Its outputs are still recorded so later generated names do not collide with them.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is null.</exception>
    public NodeProto AddRawNode(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (string o in node.Output)
        {
            _tensors.Add(o);
        }

        if (node.Name.Length > 0)
        {
            _nodeNames.Add(node.Name);
        }

        Graph.Node.Add(node);
        return node;
    }

    /// <summary>A <c>Constant</c> node holding <paramref name="value"/>; returns its output.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The node or output name is taken.</exception>
    public string Constant(TensorProto value, string? name = null, string? output = null) =>
        Node("Constant", default, [Attrs.Tensor("value", value)], name, output);

    /// <summary>A <c>Constant</c> node holding a 1-D int64 tensor (shapes, axes, slice bounds).</summary>
    /// <exception cref="ArgumentException">The node or output name is taken.</exception>
    public string ConstantInt64(ReadOnlySpan<long> values, string? name = null, string? output = null) =>
        Constant(Tensors.Int64("", [values.Length], values), name, output);

    /// <summary>A <c>Constant</c> node holding a 0-D int64 tensor (a Gather index).</summary>
    /// <exception cref="ArgumentException">The node or output name is taken.</exception>
    public string ConstantScalar(long value, string? name = null, string? output = null) =>
        Constant(Tensors.Int64("", default, [value]), name, output);

    /// <summary>A <c>Constant</c> node holding a 0-D float tensor (a Pow exponent, an epsilon).</summary>
    /// <exception cref="ArgumentException">The node or output name is taken.</exception>
    public string ConstantScalar(float value, string? name = null, string? output = null) =>
        Constant(Tensors.Float("", default, [value]), name, output);

    private NodeProto MakeNode(string opType, ReadOnlySpan<string> inputs, ReadOnlySpan<AttributeProto> attributes, string? name, string domain)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(domain);
        name ??= UniqueNodeName("/" + opType);
        if (name.Length > 0 && !_nodeNames.Add(name))
        {
            throw new ArgumentException($"Node name '{name}' is already used.", nameof(name));
        }

        var node = new NodeProto { OpType = opType, Name = name, Domain = domain };
        foreach (string input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            node.Input.Add(input);
        }

        foreach (var a in attributes)
        {
            ArgumentNullException.ThrowIfNull(a, nameof(attributes));
            node.Attribute.Add(a);
        }

        return node;
    }

    private string DefaultOutput(string nodeName, int index) =>
        nodeName.Length == 0 ? NewNumericName() : $"{nodeName}_output_{index}";
}
