using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Derives the prunable channel groups of a graph by propagating axis tags forward through it,
/// one rule per op type (Torch-Pruning's dependency graph is the model): layers with weights open
/// channel spaces, element-wise joins merge them, Reshapes that split channels into heads × dim make
/// them head-structured, and anything a rule does not understand freezes the spaces it touches.
/// Iterative over the topological order: no recursion.
/// </summary>
internal sealed partial class DependencyAnalysis
{
    private readonly GraphIndex _g;
    private readonly Dictionary<string, TensorInfo> _shapes;
    private readonly Dictionary<string, AxisTag?[]> _tags = new(StringComparer.Ordinal);
    private readonly List<ChannelSpace> _spaces = [];
    private readonly List<SliceUsage> _usages = [];
    private readonly List<(int Node, int Input)> _shapeInputs = [];
    private readonly Dictionary<int, long> _groupedConvs = []; // node → output channels per group
    private readonly List<PrunableLayer> _layers = [];
    private int _node;
    private int _position;

    public DependencyAnalysis(GraphIndex graph, Dictionary<string, TensorInfo> shapes)
    {
        _g = graph;
        _shapes = shapes;
    }

    public PrunableStructure Run()
    {
        for (_position = 0; _position < _g.Order.Count; _position++)
        {
            _node = _g.Order[_position];
            Apply(_g.Node(_node));
        }
        foreach (var o in _g.Outputs)
            if (_tags.TryGetValue(o, out var t))
                Freeze(t, $"reaches graph output '{o}'");
        CheckChunks();
        return PrunableStructure.Build(_g, _spaces, _usages, _shapeInputs, _groupedConvs, _chunks, _layers, _tags, _shapes);
    }

    // ---- union-find -------------------------------------------------------------------------

    private int Root(int s)
    {
        while (_spaces[s].Parent != s)
        {
            _spaces[s].Parent = _spaces[_spaces[s].Parent].Parent; // path halving, iterative
            s = _spaces[s].Parent;
        }
        return s;
    }

    private ChannelSpace SpaceOf(int s) => _spaces[Root(s)];

    private void Union(int a, int b, string why)
    {
        int ra = Root(a), rb = Root(b);
        if (ra == rb) return;
        var sa = _spaces[ra];
        var sb = _spaces[rb];
        bool compatible = sa.IsHeads || sb.IsHeads
            ? (sa.Heads == sb.Heads && sa.HeadDim == sb.HeadDim) || AdoptsGroups(sa, sb) || AdoptsGroups(sb, sa)
            : sa.Channels == sb.Channels;
        // Keep the earlier source as the root, so genes are named after the first layer of the group.
        var (keep, drop) = sa.SourceNode <= sb.SourceNode ? (sa, sb) : (sb, sa);
        drop.Parent = keep.Id;
        keep.Linear &= drop.Linear;
        keep.FrozenReason ??= drop.FrozenReason;
        if (compatible && !keep.IsHeads && drop.IsHeads)
            (keep.Heads, keep.HeadDim, keep.Grouped) = (drop.Heads, drop.HeadDim, drop.Grouped);
        if (!compatible)
            keep.FrozenReason ??= $"{why} joins spaces of different structure";
    }

    /// <summary>A plain space joined to a grouped conv's space (an SE block's scale, a residual) takes its groups:
    /// any channel consumer indexes whole groups correctly. Attention heads are not adopted, their layout is the Reshape's.</summary>
    private static bool AdoptsGroups(ChannelSpace grouped, ChannelSpace plain) =>
        grouped.Grouped && !plain.IsHeads && plain.Channels == grouped.Heads * grouped.HeadDim;

    private int NewSpace(long channels, bool linear)
    {
        var s = new ChannelSpace(_spaces.Count, channels, _g.NodeName(_node), _position, linear);
        _spaces.Add(s);
        return s.Id;
    }

    private void Freeze(IEnumerable<AxisTag?> tags, string reason)
    {
        foreach (var t in tags)
            if (t is not null)
                foreach (var s in t.Spaces)
                    SpaceOf(s).FrozenReason ??= $"{reason} (at node '{_g.NodeName(_node)}')";
    }

    private void FreezeInputs(NodeProto node, string reason)
    {
        foreach (var i in node.Input)
            if (i.Length > 0 && _tags.TryGetValue(i, out var t))
                Freeze(t, reason);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private AxisTag?[]? Tags(string tensor) => tensor.Length > 0 && _tags.TryGetValue(tensor, out var t) ? t : null;

    private static bool AnyTag(AxisTag?[]? t) => t is not null && t.Any(x => x is not null);

    private Dim[]? Shape(string tensor) => _shapes.TryGetValue(tensor, out var t) ? t.Shape : null;

    private int Rank(string tensor) => Shape(tensor)?.Length ?? -1;

    private void Set(string tensor, AxisTag?[]? tags)
    {
        if (tensor.Length > 0 && AnyTag(tags))
            _tags[tensor] = tags!;
    }

    private bool IsConstant(string tensor) =>
        _g.Initializer(tensor) is not null || (_g.Producer(tensor) is var p && p >= 0 && _g.Node(p).OpType == "Constant");

    private void Use(string initializer, int axis, AxisTag tag, bool isWeight)
    {
        long offset = 0;
        foreach (var seg in tag.Segments!)
        {
            _usages.Add(new SliceUsage(initializer, axis, seg.Space, offset, seg.Length, seg.Inner, isWeight));
            offset += seg.Length * seg.Inner;
        }
    }
}
