namespace FastPrune.Graph.Zoo;

/// <summary>Export variants for <see cref="ZooModels"/> networks.</summary>
public sealed record ZooOptions
{
    /// <summary>Lowest opset the modern (torch-style) writers support.</summary>
    public const int MinOpset = 11;

    /// <summary>Highest opset the modern (torch-style) writers support.</summary>
    public const int MaxOpset = 17;

    /// <summary>
    /// Default-domain opset, 11–17 (default 13, torch's default). It changes the op patterns where
    /// torch's export does: Unsqueeze axes as an attribute below 13 and as an input from 13, and
    /// LayerNormalization as one op from 17 instead of the ReduceMean/Sub/Pow/… decomposition.
    /// </summary>
    public int Opset { get; init; } = 13;

    /// <summary>
    /// Fix the batch to 1 instead of the symbolic <c>"batch"</c> dim. Transformers then also take
    /// their Reshape shapes from int64 initializers instead of Shape→Gather→Unsqueeze→Concat chains,
    /// as a static-shape export with constant folding writes them.
    /// </summary>
    public bool StaticBatch { get; init; }

    /// <summary>The default: opset 13, dynamic batch.</summary>
    public static ZooOptions Default { get; } = new();

    internal void Validate()
    {
        if (Opset is < MinOpset or > MaxOpset)
        {
            throw new ArgumentOutOfRangeException(nameof(Opset), Opset, $"Zoo networks are written for opsets {MinOpset}..{MaxOpset}.");
        }
    }
}
