namespace FastPrune;

/// <summary>What <see cref="Pruner.Inspect"/> reports of a model.</summary>
/// <param name="Path">The model file.</param>
/// <param name="Opset">Default-domain opset.</param>
/// <param name="IrVersion">ONNX IR version.</param>
/// <param name="Producer">Producer name and version.</param>
/// <param name="Inputs">Graph inputs with their (possibly symbolic) shapes.</param>
/// <param name="Outputs">Graph outputs with their inferred shapes.</param>
/// <param name="Macs">MACs at batch 1.</param>
/// <param name="Params">Parameter count.</param>
/// <param name="Nodes">Node count.</param>
/// <param name="OpCounts">Node count by op type, sorted by op type.</param>
/// <param name="Genes">The search space: one gene per group of channels that shrink together.</param>
/// <param name="Frozen">What cannot be pruned, each with the node and the reason.</param>
/// <param name="PrunableMacsFraction">Share of the MACs in layers whose input or output channels are in a gene.</param>
public sealed record ModelReport(string Path, long Opset, long IrVersion, string Producer,
    IReadOnlyList<TensorReport> Inputs, IReadOnlyList<TensorReport> Outputs, long Macs, long Params, int Nodes,
    IReadOnlyDictionary<string, int> OpCounts, IReadOnlyList<GeneInfo> Genes, IReadOnlyList<string> Frozen, double PrunableMacsFraction);

/// <summary>A graph input or output.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Type">Element type name.</param>
/// <param name="Shape">Dims as text (numbers or symbols), or null when the rank is unknown.</param>
public sealed record TensorReport(string Name, string Type, IReadOnlyList<string>? Shape);
