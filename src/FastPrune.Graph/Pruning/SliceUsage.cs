namespace FastPrune.Graph.Pruning;

/// <summary>
/// One place where a space's channels index a tensor: an initializer axis (a weight's output or
/// input channels, a bias, a per-channel constant) that is sliced when the space shrinks.
/// Indices along the axis are <c>Offset + (channel · Inner + i)</c> for the kept channels.
/// </summary>
/// <param name="Initializer">The initializer sliced.</param>
/// <param name="Axis">Its axis.</param>
/// <param name="Space">The space.</param>
/// <param name="Offset">First index of the run on the axis.</param>
/// <param name="Length">Channels of the space in the run.</param>
/// <param name="Inner">Consecutive elements per channel.</param>
/// <param name="IsWeight">True for a conv / linear weight (counted by L1 selection).</param>
/// <param name="PerUnit">True when the axis holds one entry per unit of a head-structured space (a per-head constant such as
/// Swin's relative position bias <c>[1, heads, N, N]</c>) rather than the heads' channels.</param>
internal sealed record SliceUsage(string Initializer, int Axis, int Space, long Offset, long Length, long Inner, bool IsWeight, bool PerUnit = false);
