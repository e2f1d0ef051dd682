using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>
/// Infers the type, shape and (for shape tensors) the values of every tensor of a graph, in
/// topological order, with one rule per ONNX op type. An op without a rule is never guessed: its outputs are
/// measured by an <see cref="IShapeOracle"/> when the model's <see cref="ShapeOptions"/> has one, else left
/// unknown with the reason, and only what needs them (e.g. counting MACs after them) fails.
/// </summary>
public static partial class ShapeInference
{
    /// <summary>Infers every tensor of <paramref name="index"/>'s graph from the graph alone.</summary>
    /// <param name="index">The indexed graph.</param>
    /// <param name="opset">The default-domain opset the graph was written for.</param>
    /// <param name="bindings">Numbers for symbolic input dims (e.g. <c>batch</c> = 1); others stay symbolic.</param>
    /// <returns>Every tensor; the outputs of an op without a rule (and what only they determine) are unknown, with <see cref="TensorInfo.UnknownReason"/> saying why.</returns>
    /// <exception cref="ModelFormatException">The inputs of an op contradict its rule.</exception>
    public static Dictionary<string, TensorInfo> Run(GraphIndex index, long opset, IReadOnlyDictionary<string, long>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        var inputs = index.Inputs.Values.ToDictionary(i => i.Name, i => FromValueInfo(i, bindings), StringComparer.Ordinal);
        return Pass(index, opset, inputs, null);
    }

    /// <summary>
    /// Infers every tensor of <paramref name="model"/>'s graph with its <see cref="OnnxModel.ShapeOptions"/>: input
    /// shape overrides applied, and the outputs of ops without a rule measured by the options' oracle (one
    /// run at batch 1, and one at batch 2 when the batch is dynamic, to tell the batch dim apart).
    /// </summary>
    /// <param name="index">The index of <paramref name="model"/>'s graph.</param>
    /// <param name="model">The model.</param>
    /// <param name="bindings">Numbers for symbolic input dims (e.g. <c>batch</c> = 1); others stay symbolic.</param>
    /// <exception cref="InputShapeException">An override does not fit the model, or a dim after the batch is dynamic and not fixed.</exception>
    /// <exception cref="ModelFormatException">The inputs of an op contradict its rule, or the oracle cannot run the model.</exception>
    public static Dictionary<string, TensorInfo> Run(GraphIndex index, OnnxModel model, IReadOnlyDictionary<string, long>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(model);
        var options = model.ShapeOptions;
        var inputs = ResolveInputs(index, options.InputShapes, bindings, strict: true);
        var fallback = new ShapeFallback(options.Measured, bindings, BatchSymbol(index));
        var known = Pass(index, model.Opset, inputs, fallback);
        // Each round measures what the last pass could not infer; a node that needs an upstream measurement
        // can only show up after it, hence a few rounds, bounded so a hostile graph cannot loop.
        for (int round = 0; round < 4 && options.Oracle is not null && fallback.HasUnmeasured; round++)
        {
            fallback.Measure(options.Oracle, model.Proto, index, inputs);
            known = Pass(index, model.Opset, inputs, fallback);
        }
        return known;
    }

    private static Dictionary<string, TensorInfo> Pass(GraphIndex index, long opset, Dictionary<string, TensorInfo> inputs, ShapeFallback? fallback)
    {
        var known = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (var t in index.Initializers.Values)
            known[t.Name] = FromInitializer(t);
        foreach (var (name, info) in inputs)
            known[name] = info;
        var ctx = new InferContext(known, opset, index);
        foreach (int n in index.Order)
        {
            var node = index.Node(n);
            ctx.Begin(node, index.NodeName(n));
            if (!HasRule(node, out var rule))
            {
                if (fallback?.TryFill(ctx) != true)
                    MarkUnknown(ctx, $"op '{QualifiedOp(node)}' (node '{ctx.Label}') has no shape rule and nothing measured it");
                continue;
            }
            try
            {
                rule(ctx);
            }
            catch (OverflowException)
            {
                throw ctx.Error("a dimension overflows");
            }
            catch (UninferableException e)
            {
                // The rule needs values that only a run computes: measure the node like one without a rule.
                if (fallback?.TryFill(ctx) != true)
                    MarkUnknown(ctx, UnknownInput(ctx) ?? $"node '{ctx.Label}' ({node.OpType}): {e.Message}, and nothing measured it");
            }
            catch (ModelFormatException) when (UnknownInput(ctx) is { } reason)
            {
                // Only an op without a rule upstream left this input unknown: its outputs are unknown for the same reason.
                MarkUnknown(ctx, reason);
            }
            string? upstream = UnknownInput(ctx);
            for (int o = 0; o < node.Output.Count; o++)
            {
                if (node.Output[o].Length == 0) continue;
                if (!known.TryGetValue(node.Output[o], out var info))
                    known[node.Output[o]] = new TensorInfo(0, null) { UnknownReason = upstream };
                else if (upstream is not null && !info.IsStatic && info.UnknownReason is null)
                    known[node.Output[o]] = info with { UnknownReason = upstream };
            }
        }
        return known;
    }

    /// <summary>True when a rule infers <paramref name="node"/>: only the default domain's ops have rules.</summary>
    internal static bool HasRule(Onnx.NodeProto node, out Action<InferContext> rule)
    {
        rule = null!;
        return (string.IsNullOrEmpty(node.Domain) || node.Domain == "ai.onnx") && Rules.TryGetValue(node.OpType, out rule!);
    }

    internal static string QualifiedOp(Onnx.NodeProto node) =>
        string.IsNullOrEmpty(node.Domain) || node.Domain == "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}";

    private static string? UnknownInput(InferContext ctx)
    {
        foreach (var i in ctx.Node.Input)
            if (i.Length > 0 && ctx.Known.TryGetValue(i, out var t) && t.UnknownReason is not null)
                return t.UnknownReason;
        return null;
    }

    private static void MarkUnknown(InferContext ctx, string reason)
    {
        foreach (var o in ctx.Node.Output)
            if (o.Length > 0)
                ctx.Known[o] = new TensorInfo(0, null) { UnknownReason = reason };
    }

    private static string? BatchSymbol(GraphIndex index)
    {
        foreach (var i in index.Inputs.Values)
            if (Declared(i) is { Count: > 0 } d && d[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
                return d[0].DimParam;
        return null;
    }

    private static TensorInfo FromInitializer(TensorProto t)
    {
        var shape = t.Dims.Select(Dim.Of).ToArray();
        Dim[]? values = null;
        long count = TensorData.ElementCount(t.Dims, t.Name);
        if (count <= TensorInfo.MaxTrackedValues && t.DataType is ElementType.Int64 or ElementType.Int32)
            values = TensorData.Integers(t).Select(Dim.Of).ToArray();
        return new TensorInfo(t.DataType, shape, values);
    }

    private static TensorInfo FromValueInfo(ValueInfoProto v, IReadOnlyDictionary<string, long>? bindings)
    {
        var tt = v.Type?.TensorType;
        if (tt is null)
            throw new ModelFormatException("graph input is not a tensor", tensor: v.Name);
        if (tt.Shape is null)
            return new TensorInfo(tt.ElemType, null);
        var shape = tt.Shape.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Dim.Of(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Sym(d.DimParam).Bind(bindings),
            _ => Dim.Unknown,
        }).ToArray();
        return new TensorInfo(tt.ElemType, shape);
    }
}
