namespace FastPrune;

/// <summary>One pruned, reconstructed and evaluated subnet (<see cref="Workspace.Evaluate"/>).</summary>
/// <param name="Genome">Kept count per gene, in gene order.</param>
/// <param name="Macs">MACs at batch 1.</param>
/// <param name="Params">Parameters.</param>
/// <param name="Accuracy">Top-1 accuracy on the evaluation split (agreement with the unpruned model where the data has no labels).</param>
/// <param name="SurgerySeconds">Seconds of channel selection and surgery.</param>
/// <param name="ReconSeconds">Seconds of weight reconstruction.</param>
/// <param name="SessionSeconds">Seconds of ONNX Runtime session creation.</param>
/// <param name="InferSeconds">Seconds of inference over the evaluation split.</param>
public sealed record SubnetReport(IReadOnlyList<int> Genome, long Macs, long Params, double Accuracy,
    double SurgerySeconds, double ReconSeconds, double SessionSeconds, double InferSeconds)
{
    internal static SubnetReport Of(Pipeline.SubnetResult r) =>
        new(r.Genome, r.Macs, r.Params, r.Accuracy, r.Times.Surgery, r.Times.Recon, r.Times.Session, r.Times.Infer);
}
