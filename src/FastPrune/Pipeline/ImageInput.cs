using FastPrune.Data;
using FastPrune.Graph;

namespace FastPrune.Pipeline;

/// <summary>What the pipeline needs of a model's input: an image batch (N, C, H, W) with known C, H and W.</summary>
internal static class ImageInput
{
    /// <summary>The sample shape, and the batch the model fixes (null when the batch is dynamic).</summary>
    /// <exception cref="ModelFormatException">The input is not such an image batch.</exception>
    public static (SampleShape Shape, int? FixedBatch) Of(GraphIndex index, IReadOnlyDictionary<string, TensorInfo> shapes, string file)
    {
        var input = index.Inputs.Values.First();
        var dims = shapes[input.Name].Shape;
        if (dims is not { Length: 4 } || !dims[1].IsKnown || !dims[2].IsKnown || !dims[3].IsKnown)
            throw new ModelFormatException("the model input must be an image batch (N, C, H, W) with known C, H and W", file, tensor: input.Name);
        return (new SampleShape((int)dims[1].Value, (int)dims[2].Value, (int)dims[3].Value), dims[0].IsKnown ? (int)dims[0].Value : null);
    }
}
