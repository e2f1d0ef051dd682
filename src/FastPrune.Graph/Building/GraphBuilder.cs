using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

/// <summary>
/// A small fluent writer of ONNX graphs by hand, over the generated protobuf messages. Every method
/// that defines a tensor returns its name so calls chain naturally:
/// <code>
/// var b = new GraphBuilder("net", opset: 13);
/// string x = b.Input("input", ElemType.Float, "batch", 3, 32, 32);
/// string w = b.Initializer("conv.weight", [8, 3, 3, 3], weights);
/// string y = b.Node("Conv", [x, w], [Attrs.Ints("pads", 1, 1, 1, 1)], name: "/conv/Conv");
/// b.Output(y, ElemType.Float, "batch", 8, 32, 32);
/// ModelProto m = b.Build();
/// </code>
/// Names are deterministic: an unnamed node of type T is called <c>/T</c>, <c>/T_1</c>, … and its outputs
/// <c>{node}_output_{i}</c>, the way <c>torch.onnx.export</c> names them.
/// </summary>
/// <remarks>
/// The builder refuses to define a tensor or node name twice, but does not check that node inputs
/// exist or that the graph is acyclic: tests use it to write broken graphs on purpose. Mutate the
/// returned <see cref="ModelProto"/> (or <see cref="Graph"/>) for breakage the API does not allow.
/// </remarks>
public sealed partial class GraphBuilder
{
    private readonly HashSet<string> _tensors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private long _numericName;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="name">Graph name.</param>
    /// <param name="opset">Default-domain opset version imported by the model.</param>
    /// <param name="producerName">Written to <c>producer_name</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="producerName"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opset"/> is below 1.</exception>
    public GraphBuilder(string name, int opset = 13, string producerName = "FastPrune.GraphBuilder")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(producerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opset, 1);
        Graph = new GraphProto { Name = name };
        Opset = opset;
        ProducerName = producerName;
        IrVersion = IrVersionFor(opset);
    }

    /// <summary>The graph under construction; edits show up in the next <see cref="Build"/>.</summary>
    public GraphProto Graph { get; }

    /// <summary>Default-domain opset version.</summary>
    public int Opset { get; }

    /// <summary>Written to <c>producer_name</c>.</summary>
    public string ProducerName { get; set; }

    /// <summary>Written to <c>producer_version</c>.</summary>
    public string ProducerVersion { get; set; } = "";

    /// <summary>IR version; defaults to the one the ONNX release introducing <see cref="Opset"/> wrote.</summary>
    public long IrVersion { get; set; }

    /// <summary>
    /// When true, <see cref="Build"/> also lists every initializer as a graph input, as exporters for
    /// IR version 3 (and old torch by default) did.
    /// </summary>
    public bool InitializersAsInputs { get; set; }

    /// <summary>Extra opset imports for other domains (for example <c>com.microsoft</c>).</summary>
    public IDictionary<string, int> ExtraOpsets { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is already defined as an input, initializer or node output.</summary>
    public bool IsDefined(string name) => _tensors.Contains(name);

    /// <summary>
    /// Returns a fresh tensor name from a counter, "0", "1", …, skipping names already defined, the way
    /// old exporters named every tensor.
    /// </summary>
    public string NewNumericName()
    {
        string s;
        do
        {
            s = (_numericName++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (_tensors.Contains(s));
        return s;
    }

    /// <summary>
    /// Returns <paramref name="baseName"/> if no node has it yet, otherwise the first free
    /// <c>baseName_1</c>, <c>baseName_2</c>, … (torch's rule for repeated ops in one module).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="baseName"/> is null.</exception>
    public string UniqueNodeName(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        if (!_nodeNames.Contains(baseName))
        {
            return baseName;
        }

        for (int i = 1; ; i++)
        {
            string candidate = $"{baseName}_{i}";
            if (!_nodeNames.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Assembles the model: a deep copy of <see cref="Graph"/> with opset imports and metadata.</summary>
    /// <remarks>Tensor bytes are shared, not copied (protobuf byte strings are immutable).</remarks>
    public ModelProto Build()
    {
        var graph = Graph.Clone();
        if (InitializersAsInputs)
        {
            foreach (var init in graph.Initializer)
            {
                var shape = new DimSpec[init.Dims.Count];
                for (int i = 0; i < shape.Length; i++)
                {
                    shape[i] = init.Dims[i];
                }

                graph.Input.Add(MakeValueInfo(init.Name, (ElemType)init.DataType, shape));
            }
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (domain, version) in ExtraOpsets)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        return model;
    }

    /// <summary>The IR version of the ONNX release that introduced <paramref name="opset"/>.</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private string Define(string name, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, what);
        if (!_tensors.Add(name))
        {
            throw new ArgumentException($"Tensor '{name}' is already defined.", what);
        }

        return name;
    }
}
