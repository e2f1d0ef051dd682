using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

public static partial class ShapeInference
{
    /// <summary>
    /// The graph inputs as declared, with <paramref name="overrides"/> applied: an override fixes dims that are
    /// symbolic or unknown and must agree with fixed ones; the leading (batch) dim stays as declared when it is
    /// dynamic, since analysis binds it to 1 and runs choose their own batch. A symbol fixed on one input is
    /// fixed on every input that uses it.
    /// </summary>
    /// <param name="index">The graph.</param>
    /// <param name="overrides">The user's input shapes.</param>
    /// <param name="bindings">Numbers for symbols (the batch = 1 when counting MACs).</param>
    /// <param name="strict">Refuse any dynamic dim after the batch that nothing fixes (analysis needs them).</param>
    /// <exception cref="InputShapeException">An override does not fit, or (strict) a dim stays dynamic.</exception>
    internal static Dictionary<string, TensorInfo> ResolveInputs(GraphIndex index, IReadOnlyList<InputShape> overrides,
        IReadOnlyDictionary<string, long>? bindings, bool strict)
    {
        var byInput = MatchOverrides(index, overrides);
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        if (bindings is not null)
            foreach (var (k, v) in bindings) symbols[k] = v;
        foreach (var (name, o) in byInput)
        {
            var dims = Declared(index.Inputs[name]);
            if (dims is null) continue;
            for (int i = 1; i < dims.Count && i < o.Dims.Count; i++)
                if (dims[i].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
                {
                    if (symbols.TryGetValue(dims[i].DimParam, out long v) && v != o.Dims[i] && bindings?.ContainsKey(dims[i].DimParam) != true)
                        throw new InputShapeException($"input '{name}': dim {i} ('{dims[i].DimParam}') is given as {o.Dims[i]} but another dim with that symbol as {v}");
                    symbols.TryAdd(dims[i].DimParam, o.Dims[i]);
                }
        }
        var result = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        foreach (var input in index.Inputs.Values)
        {
            var info = FromValueInfo(input, symbols);
            if (byInput.TryGetValue(input.Name, out var o))
                info = Apply(input.Name, info, o, FromValueInfo(input, null));
            if (strict) RequireStatic(input.Name, info);
            result[input.Name] = info;
        }
        return result;
    }

    private static Dictionary<string, InputShape> MatchOverrides(GraphIndex index, IReadOnlyList<InputShape> overrides)
    {
        var map = new Dictionary<string, InputShape>(StringComparer.Ordinal);
        foreach (var o in overrides)
        {
            string name;
            if (o.Name is null)
            {
                if (index.Inputs.Count != 1)
                    throw new InputShapeException($"--input-shape {o}: the model has {index.Inputs.Count} inputs ({string.Join(", ", index.Inputs.Keys)}); name one (NAME:D0,D1,…)");
                name = index.Inputs.Keys.First();
            }
            else if (!index.Inputs.ContainsKey(o.Name))
                throw new InputShapeException($"--input-shape {o}: the model has no input '{o.Name}' (inputs: {string.Join(", ", index.Inputs.Keys)})");
            else name = o.Name;
            if (!map.TryAdd(name, o))
                throw new InputShapeException($"--input-shape is given twice for input '{name}'");
        }
        return map;
    }

    private static Google.Protobuf.Collections.RepeatedField<TensorShapeProto.Types.Dimension>? Declared(ValueInfoProto v) =>
        v.Type?.TensorType?.Shape?.Dim;

    private static TensorInfo Apply(string name, TensorInfo declared, InputShape o, TensorInfo raw)
    {
        if (declared.Shape is { } s && s.Length != o.Dims.Count)
            throw new InputShapeException($"--input-shape {o}: input '{name}' has rank {s.Length} ([{raw.ShapeText}]), the flag gives {o.Dims.Count} dims");
        var dims = new Dim[o.Dims.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            var d = declared.Shape?[i] ?? Dim.Unknown;
            // A dynamic batch stays the batch (bound or symbolic): analysis binds it to 1 and every run picks its own.
            if (i == 0 && raw.Shape is { Length: > 0 } r && !r[0].IsKnown)
            {
                dims[i] = d;
                continue;
            }
            if (d.IsKnown && d.Value != o.Dims[i])
                throw new InputShapeException($"--input-shape {o}: input '{name}' fixes dim {i} to {d.Value}, the flag says {o.Dims[i]}");
            dims[i] = Dim.Of(o.Dims[i]);
        }
        return declared with { Shape = dims };
    }

    private static void RequireStatic(string name, TensorInfo info)
    {
        if (info.Shape is null)
            throw new InputShapeException($"input '{name}' declares no shape; give it with --input-shape {name}:D0,D1,…");
        for (int i = 1; i < info.Shape.Length; i++)
            if (!info.Shape[i].IsKnown)
            {
                var example = string.Join(",", info.Shape.Select((d, k) => d.IsKnown ? d.ToString() : k == 0 ? "1" : info.Shape.Length == 4 && k >= 2 ? (k == 2 ? "H" : "W") : "D" + k));
                throw new InputShapeException($"input '{name}' has dynamic dims [{info.ShapeText}], so shapes and MACs cannot be computed; " +
                    $"fix them with --input-shape {name}:{example} (or --data with IDX or .npy images, whose size is used)");
            }
    }
}
