namespace FastPrune;

/// <summary>What <see cref="Pruner.WriteZooModel"/> wrote.</summary>
/// <param name="Path">The written model.</param>
/// <param name="Name">The reference network.</param>
/// <param name="Opset">Its default-domain opset.</param>
/// <param name="Macs">MACs at batch 1.</param>
/// <param name="Params">Parameters.</param>
public sealed record ZooReport(string Path, string Name, long Opset, long Macs, long Params);
