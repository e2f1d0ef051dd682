using FastPrune.Data;
using FastPrune.Graph;

namespace FastPrune.Pipeline;

/// <summary>
/// What the pipeline needs of a model: one image input (N, C, H, W) with known C, H and W, which is the only input
/// it can feed, and a class-score output whose width bounds the labels.
/// </summary>
internal static class ImageInput
{
    /// <summary>The sample shape, and the batch the model fixes (null when the batch is dynamic).</summary>
    /// <exception cref="ModelFormatException">The model has another input its graph uses, or the input is not such an image batch.</exception>
    public static (SampleShape Shape, int? FixedBatch) Of(GraphIndex index, IReadOnlyDictionary<string, TensorInfo> shapes, string file)
    {
        var input = ModelInputs.Fed(index, file);
        var dims = shapes[input.Name].Shape;
        if (dims is not { Length: 4 } || !dims[1].IsKnown || !dims[2].IsKnown || !dims[3].IsKnown)
            throw new ModelFormatException("the model input must be an image batch (N, C, H, W) with known C, H and W", file, tensor: input.Name);
        return (new SampleShape(Int(dims[1].Value, file, input.Name), Int(dims[2].Value, file, input.Name), Int(dims[3].Value, file, input.Name)),
            dims[0].IsKnown ? Int(dims[0].Value, file, input.Name) : null);
    }

    /// <summary>The number of classes the first output scores (its last dimension), or null when not known statically.</summary>
    public static int? Classes(GraphIndex index, IReadOnlyDictionary<string, TensorInfo> shapes)
    {
        var name = index.Graph.Output[0].Name;
        return shapes.TryGetValue(name, out var t) && t.Shape is { Length: >= 2 } s && s[^1].IsKnown && s[^1].Value is > 0 and <= int.MaxValue
            ? (int)s[^1].Value : null;
    }

    /// <summary>Refuses a source whose labels are not all classes of the model (at or above its output width): every
    /// label of the file is checked, not only those of the images a seed draws, so that the verdict does not depend on
    /// the seed or the counts asked for.</summary>
    /// <exception cref="DataException">A label is out of range; the message names the first such image.</exception>
    public static void CheckLabels(IDataSource source, int? classes)
    {
        if (classes is not { } c || !source.HasLabels || source.ClassCount <= c) return;
        for (int i = 0; i < source.Count; i++)
        {
            int label = source.Label(i);
            if (label >= c)
                throw new DataException(source.Path, $"label {label} of {source.NameOf(i)} is not a class of the model, whose output has {c} classes (labels 0..{c - 1})");
        }
    }

    // A dimension that does not fit an int (a hostile 2^62) is refused here, not left to overflow later.
    private static int Int(long v, string file, string tensor) => v is > 0 and <= 1 << 20
        ? (int)v
        : throw new ModelFormatException($"input dimension {v} is outside 1..{1 << 20}", file, tensor: tensor);
}
