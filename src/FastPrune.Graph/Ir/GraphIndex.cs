using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>
/// Who produces and who consumes each tensor of a graph, and a topological order of its nodes.
/// Built iteratively (Kahn's algorithm), so a hostile graph of any depth cannot overflow the stack.
/// </summary>
public sealed class GraphIndex
{
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _consumers = new(StringComparer.Ordinal);

    /// <summary>Indexes and checks <paramref name="graph"/>.</summary>
    /// <exception cref="ModelFormatException">Duplicate names, a tensor with two producers, an input nobody produces, or a cycle.</exception>
    public GraphIndex(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        foreach (var t in graph.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name))
                throw new ModelFormatException("an initializer has no name");
            if (!Initializers.TryAdd(t.Name, t))
                throw new ModelFormatException("duplicated initializer name", tensor: t.Name);
        }
        foreach (var i in graph.Input)
        {
            if (!Initializers.ContainsKey(i.Name) && !Inputs.TryAdd(i.Name, i))
                throw new ModelFormatException("duplicated graph input", tensor: i.Name);
        }
        for (int n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            if (string.IsNullOrEmpty(node.OpType))
                throw new ModelFormatException("node without op_type", node: NodeName(node, n));
            foreach (var o in node.Output)
            {
                if (o.Length == 0) continue; // an omitted optional output
                if (Initializers.ContainsKey(o) || Inputs.ContainsKey(o) || !_producer.TryAdd(o, n))
                    throw new ModelFormatException("tensor is produced more than once", node: NodeName(node, n), tensor: o);
            }
        }
        for (int n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            foreach (var i in node.Input)
            {
                if (i.Length == 0) continue; // an omitted optional input
                if (!_producer.ContainsKey(i) && !Initializers.ContainsKey(i) && !Inputs.ContainsKey(i))
                    throw new ModelFormatException("input is produced by no node, initializer or graph input", node: NodeName(node, n), tensor: i);
                if (!_consumers.TryGetValue(i, out var list))
                    _consumers[i] = list = new List<int>(2);
                if (list.Count == 0 || list[^1] != n) list.Add(n);
            }
        }
        foreach (var o in graph.Output)
        {
            if (!_producer.ContainsKey(o.Name) && !Initializers.ContainsKey(o.Name) && !Inputs.ContainsKey(o.Name))
                throw new ModelFormatException("graph output is produced by nothing", tensor: o.Name);
            Outputs.Add(o.Name);
        }
        Order = TopologicalOrder();
    }

    /// <summary>The indexed graph.</summary>
    public GraphProto Graph { get; }

    /// <summary>Initializers by name.</summary>
    public Dictionary<string, TensorProto> Initializers { get; } = new(StringComparer.Ordinal);

    /// <summary>Graph inputs that are not initializers, by name.</summary>
    public Dictionary<string, ValueInfoProto> Inputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of the graph outputs.</summary>
    public HashSet<string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Node indices (into <c>Graph.Node</c>) in a topological order.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>The node at <paramref name="index"/>.</summary>
    public NodeProto Node(int index) => Graph.Node[index];

    /// <summary>The index of the node producing <paramref name="tensor"/>, or -1 for inputs and initializers.</summary>
    public int Producer(string tensor) => _producer.TryGetValue(tensor, out var n) ? n : -1;

    /// <summary>The indices of the nodes consuming <paramref name="tensor"/>.</summary>
    public IReadOnlyList<int> Consumers(string tensor) =>
        _consumers.TryGetValue(tensor, out var l) ? l : Array.Empty<int>();

    /// <summary>The initializer named <paramref name="tensor"/>, or null.</summary>
    public TensorProto? Initializer(string tensor) => Initializers.GetValueOrDefault(tensor);

    /// <summary>A name for messages: the node's name, or its op type and position.</summary>
    public static string NodeName(NodeProto node, int index) =>
        string.IsNullOrEmpty(node.Name) ? $"#{index} ({node.OpType})" : node.Name;

    /// <summary>A name for messages for node <paramref name="index"/>.</summary>
    public string NodeName(int index) => NodeName(Graph.Node[index], index);

    private int[] TopologicalOrder()
    {
        var nodes = Graph.Node;
        var pending = new int[nodes.Count];
        for (int n = 0; n < nodes.Count; n++)
            pending[n] = nodes[n].Input.Where(i => i.Length > 0).Distinct().Count(i => _producer.ContainsKey(i));
        var ready = new Queue<int>();
        for (int n = 0; n < nodes.Count; n++)
            if (pending[n] == 0) ready.Enqueue(n);
        var order = new List<int>(nodes.Count);
        while (ready.Count > 0)
        {
            int n = ready.Dequeue();
            order.Add(n);
            foreach (var o in nodes[n].Output)
            {
                if (o.Length == 0) continue;
                foreach (var c in Consumers(o))
                    if (--pending[c] == 0) ready.Enqueue(c);
            }
        }
        if (order.Count != nodes.Count)
        {
            int stuck = Enumerable.Range(0, nodes.Count).First(n => pending[n] > 0);
            throw new ModelFormatException("the graph has a cycle", node: NodeName(stuck));
        }
        return order.ToArray();
    }
}
