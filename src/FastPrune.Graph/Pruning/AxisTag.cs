namespace FastPrune.Graph.Pruning;

/// <summary>
/// What an axis of a tensor carries: prunable channels, attention heads, a head's dims, the q/k/v selector,
/// heads merged with the batch (torch's <c>[L, N·H, hd]</c> attention layout), or one of several equal chunks
/// of a space (q, k or v sliced out of a fused in-projection) that only a split into heads may consume.
/// </summary>
internal enum TagKind { Channel, Heads, HeadDim, Qkv, BatchHeads, Block }

/// <summary>
/// A run of channels of one space along a channel axis. Concat puts several runs on one axis;
/// Flatten of a C×H×W map gives each channel <see cref="Inner"/> consecutive features.
/// </summary>
/// <param name="Space">The channel space.</param>
/// <param name="Length">Channels of the space in this run (before <see cref="Inner"/>).</param>
/// <param name="Inner">Consecutive elements per channel.</param>
internal sealed record Segment(int Space, long Length, long Inner);

/// <summary>The tag of one tensor axis.</summary>
/// <param name="Kind">What the axis carries.</param>
/// <param name="Space">The space, for head tags (channel tags use <see cref="Segments"/>).</param>
/// <param name="Segments">The runs of a channel axis, in order.</param>
internal sealed record AxisTag(TagKind Kind, int Space, Segment[]? Segments)
{
    public static AxisTag Channel(int space, long length) => new(TagKind.Channel, space, [new Segment(space, length, 1)]);

    public IEnumerable<int> Spaces => Segments is null ? [Space] : Segments.Select(s => s.Space);

    /// <summary>Total extent of the axis.</summary>
    public long Extent => Segments?.Sum(s => s.Length * s.Inner) ?? -1;
}
