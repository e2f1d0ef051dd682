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
internal sealed record SliceUsage(string Initializer, int Axis, int Space, long Offset, long Length, long Inner, bool IsWeight);
