using FastPrune.Graph;
using FastPrune.Graph.Onnx;

namespace FastPrune.Pipeline;

/// <summary>
/// Cuts a model's node list (topologically ordered, as ONNX requires) before each reconstruction stage's first layer.
/// The frontier at a cut is every tensor computed before it and read at or after it (up to the last stage's
/// layer); segment k is the nodes between cut k and cut k+1, a small model from frontier k to frontier k+1. Running
/// the segments in order over stored frontiers is one forward pass of the network in total, where running the
/// prefix up to every stage is L of them.
/// <code>
///   images ─▶ [segment 0] ─▶ frontier 1 ─▶ [segment 1] ─▶ frontier 2 ─▶ …   (cut k = node index of stage k's first layer)
/// </code>
/// </summary>
internal sealed class StageSegments
{
    private readonly GraphProto _graph;
    private readonly int[] _cuts;
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers;

    private StageSegments(GraphProto graph, int[] cuts)
    {
        _graph = graph;
        _cuts = cuts;
        _initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var i in graph.Input) _producer[i.Name] = -1;
        for (int n = 0; n < graph.Node.Count; n++)
            foreach (var o in graph.Node[n].Output)
                if (o.Length > 0) _producer[o] = n;
        Frontiers = Enumerable.Range(0, cuts.Length).Select(FrontierAt).ToArray();
    }

    /// <summary>Tensor names live at each cut, in a fixed order.</summary>
    public string[][] Frontiers { get; }

    /// <summary>
    /// Segments of <paramref name="graph"/> for stages whose first layers are the nodes <paramref name="firstNodes"/>
    /// (ascending); null when the graph has a node with a subgraph (its outer-scope reads are not visible here).
    /// </summary>
    public static StageSegments? TryBuild(GraphProto graph, int[] firstNodes)
    {
        foreach (var n in graph.Node)
            if (n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0)) return null;
        for (int k = 1; k < firstNodes.Length; k++)
            if (firstNodes[k] <= firstNodes[k - 1]) throw new ArgumentException("stage nodes must ascend", nameof(firstNodes));
        return new StageSegments(graph, firstNodes);
    }

    private string[] FrontierAt(int k)
    {
        int cut = _cuts[k], last = _cuts[^1];
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int n = cut; n <= last; n++)
            foreach (var i in _graph.Node[n].Input)
                if (i.Length > 0 && !_initializers.Contains(i) && _producer.TryGetValue(i, out int p) && p < cut && seen.Add(i))
                    names.Add(i);
        return names.ToArray();
    }

    /// <summary>
    /// Segment <paramref name="k"/> as a model (nodes and initializers shared with the graph, not cloned) whose outputs
    /// are the tensors of frontier k+1 it computes plus <paramref name="extraOutputs"/>; null when it computes none.
    /// Also returns the frontier-k tensors it reads.
    /// </summary>
    public (ModelProto? Model, string[] Inputs, string[] Outputs) Segment(ModelProto model, int k, IReadOnlyList<string> extraOutputs,
        IReadOnlyDictionary<string, TensorInfo> types)
    {
        int from = _cuts[k], to = _cuts[k + 1];
        var outputs = Frontiers[k + 1].Where(n => _producer[n] >= from).Concat(extraOutputs.Where(n => _producer[n] >= from)).Distinct().ToArray();
        if (outputs.Length == 0) return (null, [], []);
        // Only the nodes the outputs need, walked back with a work list (never recursion).
        var needed = new bool[to - from];
        var work = new Stack<string>(outputs);
        while (work.Count > 0)
            if (_producer.TryGetValue(work.Pop(), out int n) && n >= from && !needed[n - from])
            {
                needed[n - from] = true;
                foreach (var i in _graph.Node[n].Input) if (i.Length > 0) work.Push(i);
            }
        var g = new GraphProto { Name = _graph.Name };
        var inputs = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int n = from; n < to; n++)
        {
            if (!needed[n - from]) continue;
            var node = _graph.Node[n];
            g.Node.Add(node);
            foreach (var i in node.Input)
                if (i.Length > 0 && used.Add(i) && !_initializers.Contains(i) && _producer.TryGetValue(i, out int p) && p < from) inputs.Add(i);
        }
        g.Initializer.AddRange(_graph.Initializer.Where(t => used.Contains(t.Name)));
        foreach (var i in inputs) g.Input.Add(ValueInfo(i, types));
        foreach (var o in outputs) g.Output.Add(ValueInfo(o, types));
        var m = new ModelProto { IrVersion = model.IrVersion, ProducerName = model.ProducerName, Graph = g };
        m.OpsetImport.AddRange(model.OpsetImport);
        return (m, inputs.ToArray(), outputs);
    }

    // The element type is all ONNX Runtime needs; shapes are left open (batches differ, widths are pruned).
    private static ValueInfoProto ValueInfo(string name, IReadOnlyDictionary<string, TensorInfo> types) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = types.TryGetValue(name, out var t) ? t.ElemType : ElementType.Float } },
    };
}
