namespace FastPrune.Graph.Pruning;

/// <summary>
/// A Slice or Split that cuts a space's channel run into <see cref="Blocks"/> equal chunks (torch's
/// <c>in_proj(x).chunk(3, -1)</c>): when the space shrinks, its bounds or sizes are rewritten for the new chunk length.
/// </summary>
/// <param name="Node">Index of the Slice or Split node.</param>
/// <param name="Space">The space cut.</param>
/// <param name="Length">Channels of the run (all chunks together).</param>
/// <param name="Block">Which chunk a Slice takes (-1 for a Split, which takes all).</param>
/// <param name="Blocks">Number of equal chunks.</param>
/// <param name="Position">For a Slice: the entry of its starts/ends that cuts the channel axis.</param>
internal sealed record ChunkOp(int Node, int Space, long Length, int Block, int Blocks, int Position);
