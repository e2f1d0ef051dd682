namespace FastPrune.Graph.Pruning;

/// <summary>
/// A set of channels that must shrink together (union-find node). Channel spaces prune channels;
/// head-structured spaces (after a Reshape splits channels into heads × head_dim) prune whole heads.
/// </summary>
internal sealed class ChannelSpace(int id, long channels, string source, int sourceNode, bool linear)
{
    public int Id { get; } = id;

    public int Parent { get; set; } = id;

    /// <summary>Channels on the source's output axis.</summary>
    public long Channels { get; } = channels;

    /// <summary>The node that created the space, for naming.</summary>
    public string Source { get; } = source;

    /// <summary>Position of the source in topological order, for a stable gene order.</summary>
    public int SourceNode { get; set; } = sourceNode;

    /// <summary>True when every source is a linear layer (Gemm/MatMul), e.g. an MLP hidden width.</summary>
    public bool Linear { get; set; } = linear;

    /// <summary>Heads, for a head-structured space; 0 otherwise.</summary>
    public long Heads { get; set; }

    /// <summary>Elements per head.</summary>
    public long HeadDim { get; set; }

    /// <summary>True when the head structure comes from grouped convolutions: the units are conv groups, not attention heads.</summary>
    public bool Grouped { get; set; }

    public string? FrozenReason { get; set; }

    public bool IsHeads => Heads > 0;

    /// <summary>Units a gene counts: heads or channels.</summary>
    public long Units => IsHeads ? Heads : Channels;
}
