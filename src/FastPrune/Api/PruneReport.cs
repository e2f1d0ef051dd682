using FastPrune.Pipeline;

namespace FastPrune;

/// <summary>What <see cref="Pruner.Prune"/> wrote.</summary>
/// <param name="OutputPath">The written model.</param>
/// <param name="Genome">Kept count per gene.</param>
/// <param name="Macs">MACs at batch 1 of the written model.</param>
/// <param name="Params">Its parameters.</param>
/// <param name="OriginalMacs">MACs at batch 1 of the input model.</param>
/// <param name="Recon">The reconstruction applied (<see cref="ReconMode.None"/> without data: weights are sliced).</param>
/// <param name="SurgerySeconds">Seconds of channel selection and surgery.</param>
public sealed record PruneReport(string OutputPath, IReadOnlyList<int> Genome, long Macs, long Params, long OriginalMacs,
    ReconMode Recon, double SurgerySeconds)
{
    /// <summary>Seconds loading and analysing the model (data-free pruning only; 0 with data).</summary>
    public double LoadSeconds { get; init; }
    /// <summary>The subnet's accuracy on the evaluation split (with data), else null.</summary>
    public double? Accuracy { get; init; }
    /// <summary>The unpruned model's accuracy on the evaluation split (with data), else null.</summary>
    public double? BaselineAccuracy { get; init; }
    /// <summary>True when the data has no labels and accuracy is agreement with the unpruned model.</summary>
    public bool AgreementOnly { get; init; }
    /// <summary>Seconds of reconstruction (with data).</summary>
    public double ReconSeconds { get; init; }
    /// <summary>Seconds of ONNX Runtime session creation (with data).</summary>
    public double SessionSeconds { get; init; }
    /// <summary>Seconds of inference over the evaluation split (with data).</summary>
    public double InferSeconds { get; init; }
    /// <summary>The reconstruction backend (with data), else null.</summary>
    public string? ReconDevice { get; init; }
    /// <summary>Notes for the user.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
