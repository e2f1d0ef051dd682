using FastPrune.Graph;
using FastPrune.Graph.Onnx;

namespace FastPrune.Pipeline;

/// <summary>
/// The one input FastPrune feeds: a model whose graph uses a second input (a mask, a second image) cannot be
/// evaluated, reconstructed or searched, so it is refused when it is loaded rather than when ONNX Runtime reports
/// "Missing Input" half-way through.
/// </summary>
internal static class ModelInputs
{
    /// <summary>The graph input FastPrune feeds images to.</summary>
    /// <exception cref="ModelFormatException">The graph uses more than one input, or has none.</exception>
    public static ValueInfoProto Fed(GraphIndex index, string file)
    {
        ArgumentNullException.ThrowIfNull(index);
        var used = index.Graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var fed = index.Inputs.Values.Where(i => used.Contains(i.Name)).ToList();
        if (fed.Count > 1)
        {
            throw new ModelFormatException(
                $"the model has {fed.Count} inputs ({string.Join(", ", fed.Select(i => i.Name))}); FastPrune can feed one image input only",
                file, tensor: fed[1].Name);
        }
        return fed.Count == 1 ? fed[0] : index.Inputs.Values.FirstOrDefault()
            ?? throw new ModelFormatException("the model has no graph input", file);
    }
}
