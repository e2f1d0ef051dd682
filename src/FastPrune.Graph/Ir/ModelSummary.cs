namespace FastPrune.Graph;

/// <summary>What <c>fastprune inspect</c> reports of a model.</summary>
/// <param name="Opset">Default-domain opset.</param>
/// <param name="IrVersion">ONNX IR version.</param>
/// <param name="Producer">Producer name and version.</param>
/// <param name="Inputs">Graph inputs with their (possibly symbolic) shapes.</param>
/// <param name="Outputs">Graph outputs with their inferred shapes.</param>
/// <param name="Macs">MACs at batch 1 (see <see cref="ModelCost"/>).</param>
/// <param name="Params">Parameter count.</param>
/// <param name="Nodes">Node count.</param>
/// <param name="OpCounts">Node count by op type, sorted by op type.</param>
public sealed record ModelSummary(
    long Opset, long IrVersion, string Producer,
    IReadOnlyList<TensorSummary> Inputs, IReadOnlyList<TensorSummary> Outputs,
    long Macs, long Params, int Nodes, IReadOnlyDictionary<string, int> OpCounts)
{
    /// <summary>Summarises a model: shapes symbolic as declared, cost at batch 1.</summary>
    /// <exception cref="ModelFormatException">Shapes cannot be inferred.</exception>
    public static ModelSummary Of(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            return Summarize(model);
        }
        catch (ModelFormatException e) when (model.SourcePath is not null && e.File is null)
        {
            // errors found after loading must still name the file, like the loader's
            throw e.InFile(model.SourcePath);
        }
    }

    private static ModelSummary Summarize(OnnxModel model)
    {
        var index = new GraphIndex(model.Proto.Graph);
        var symbolic = ShapeInference.Run(index, model);
        var cost = ModelCost.Compute(index, ShapeInference.Run(index, model, ModelCost.BatchOneBindings(index)));
        TensorSummary Describe(string name) =>
            symbolic.TryGetValue(name, out var t)
                ? new TensorSummary(name, ElementType.Name(t.ElemType), t.Shape?.Select(d => d.ToString()).ToArray())
                : new TensorSummary(name, "?", null);
        var ops = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in model.Proto.Graph.Node)
            ops[n.OpType] = ops.GetValueOrDefault(n.OpType) + 1;
        var p = model.Proto;
        return new ModelSummary(model.Opset, p.IrVersion, $"{p.ProducerName} {p.ProducerVersion}".Trim(),
            index.Inputs.Keys.Select(Describe).ToList(), p.Graph.Output.Select(o => Describe(o.Name)).ToList(),
            cost.Macs, cost.Params, p.Graph.Node.Count, ops);
    }
}

/// <summary>A graph input or output.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Type">Element type name.</param>
/// <param name="Shape">Dims as text (numbers or symbols), or null when the rank is unknown.</param>
public sealed record TensorSummary(string Name, string Type, string[]? Shape);
