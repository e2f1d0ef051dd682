namespace FastPrune.Graph.Pruning;

/// <summary>
/// A layer with weights that reconstruction re-solves: a Conv, an ungrouped ConvTranspose, a Gemm, or a MatMul with a constant
/// weight (its bias being the Add torch exports after it).
/// </summary>
/// <param name="Node">Index of the node in the graph.</param>
/// <param name="Name">The node's name.</param>
/// <param name="OpType">Conv, ConvTranspose, Gemm or MatMul.</param>
/// <param name="Weight">Weight initializer: Conv [C_out, C_in/g, kh, kw]; ConvTranspose [C_in, C_out, kh, kw]; Gemm as its transB says; MatMul [C_in, C_out].</param>
/// <param name="Bias">Bias initializer, or null.</param>
/// <param name="Input">The tensor the layer reads.</param>
/// <param name="Output">The tensor holding the layer's result, bias included.</param>
public sealed record PrunableLayer(int Node, string Name, string OpType, string Weight, string? Bias, string Input, string Output);
