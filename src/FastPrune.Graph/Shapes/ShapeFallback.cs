using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>
/// Shapes of the outputs of ops without a rule, measured by an <see cref="IShapeOracle"/>. One inference
/// pass asks <see cref="TryFill"/> for each such node; what neither this pass's measurement nor the cache
/// holds is noted (<see cref="HasUnmeasured"/>), measured in one go, and the pass is repeated.
/// </summary>
internal sealed class ShapeFallback(MeasuredShapes cache, IReadOnlyDictionary<string, long>? bindings, string? batchSymbol)
{
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private Dictionary<string, MeasuredTensor[]>? _fresh;

    /// <summary>True when a pass met outputs that no measurement has been asked for yet.</summary>
    public bool HasUnmeasured => _missing.Any(t => !_attempted.Contains(t));

    /// <summary>Sets the outputs of the current (rule-less) node from a measurement; false when there is none.</summary>
    public bool TryFill(InferContext ctx)
    {
        var node = ctx.Node;
        var outputs = node.Output.Where(o => o.Length > 0).ToArray();
        if (outputs.Length == 0) return true;
        string signature = Signature(ctx);
        MeasuredTensor[][]? runs = null;
        if (_fresh is not null && outputs.All(_fresh.ContainsKey))
        {
            runs = outputs.Select(o => _fresh[o]).ToArray();
            cache.Store(outputs[0], signature, runs);
        }
        else runs = cache.Find(outputs[0], signature);
        if (runs is null)
        {
            _missing.UnionWith(outputs);
            return false;
        }
        for (int o = 0; o < outputs.Length; o++)
            ctx.Known[outputs[o]] = Convert(runs[o]);
        return true;
    }

    /// <summary>
    /// Measures the outputs of every rule-less node of the graph and of every node a pass could not infer: at
    /// batch 1 and, when a graph input's batch is dynamic, again at batch 2 (a dim that doubles is the batch,
    /// which a symbolic pass keeps symbolic).
    /// </summary>
    /// <exception cref="InputShapeException">A graph input is not fully known after its batch.</exception>
    public void Measure(IShapeOracle oracle, ModelProto model, GraphIndex index, Dictionary<string, TensorInfo> inputs)
    {
        var tensors = new List<string>();
        foreach (int n in index.Order)
        {
            var node = index.Node(n);
            if (!ShapeInference.HasRule(node, out _))
                tensors.AddRange(node.Output.Where(o => o.Length > 0));
        }
        tensors = tensors.Union(_missing).Union(_attempted).Distinct(StringComparer.Ordinal).ToList();
        _attempted.UnionWith(tensors);
        // Dynamic as declared, not as this pass bound it: the cache serves bound and symbolic passes alike.
        var dynamic = index.Inputs.Values.Where(i => i.Type?.TensorType?.Shape?.Dim is { Count: > 0 } d
            && d[0].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var runs = new List<IReadOnlyDictionary<string, long[]>> { Concrete(inputs, dynamic, 1) };
        if (dynamic.Count > 0) runs.Add(Concrete(inputs, dynamic, 2));
        var measured = oracle.Measure(model, runs, tensors);
        _fresh = new Dictionary<string, MeasuredTensor[]>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            var perRun = measured.Select(m => m.TryGetValue(t, out var v) ? v : null).ToArray();
            if (perRun.Length == runs.Count && perRun.All(v => v is not null))
                _fresh[t] = perRun!;
        }
        _missing.Clear();
    }

    private static Dictionary<string, long[]> Concrete(Dictionary<string, TensorInfo> inputs, HashSet<string> dynamic, long batch)
    {
        var map = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (name, info) in inputs)
        {
            var s = info.Shape ?? throw new InputShapeException($"input '{name}' declares no shape; give it with --input-shape {name}:D0,D1,…");
            map[name] = s.Select((d, i) => i == 0 && dynamic.Contains(name) ? batch
                : d.IsKnown ? d.Value
                : throw new InputShapeException($"input '{name}' has dynamic dims [{info.ShapeText}]; fix them with --input-shape")).ToArray();
        }
        return map;
    }

    private TensorInfo Convert(MeasuredTensor[] runs)
    {
        var first = runs[0].Shape;
        var dims = new Dim[first.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            long v1 = first[i];
            if (runs.Length == 1 || runs[1].Shape.Length != first.Length || runs[1].Shape[i] == v1) dims[i] = Dim.Of(v1);
            else if (runs[1].Shape[i] == 2 * v1 && batchSymbol is not null) dims[i] = Dim.Sym(batchSymbol, v1).Bind(bindings);
            else dims[i] = Dim.Unknown;
        }
        return new TensorInfo(runs[0].ElemType, dims);
    }

    /// <summary>The node's input shapes at batch 1: a measurement stays valid while they do.</summary>
    private string Signature(InferContext ctx)
    {
        var one = batchSymbol is null ? null : new Dictionary<string, long> { [batchSymbol] = 1 };
        return string.Join(";", ctx.Node.Input.Select(i =>
            i.Length == 0 ? "-" : ctx.Known.TryGetValue(i, out var t) && t.Shape is { } s ? string.Join(",", s.Select(d => d.Bind(one))) : "?"));
    }
}

/// <summary>A thread-safe cache of measured node outputs, keyed by the node's first output and its input shapes.</summary>
internal sealed class MeasuredShapes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), MeasuredTensor[][]> _entries = [];

    public MeasuredTensor[][]? Find(string output, string signature)
    {
        lock (_gate) return _entries.GetValueOrDefault((output, signature));
    }

    public void Store(string output, string signature, MeasuredTensor[][] runs)
    {
        lock (_gate) _entries[(output, signature)] = runs;
    }
}
