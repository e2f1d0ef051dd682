using FastPrune.Graph;

namespace FastPrune.Pipeline;

/// <summary>Seconds spent on one subnet, by stage.</summary>
internal sealed record SubnetTimings(double Surgery, double Recon, double Session, double Infer)
{
    /// <summary>All stages.</summary>
    public double Total => Surgery + Recon + Session + Infer;
}

/// <summary>One evaluated subnet.</summary>
/// <param name="Genome">Counts per gene.</param>
/// <param name="Macs">MACs at batch 1.</param>
/// <param name="Params">Parameters.</param>
/// <param name="Accuracy">Top-1 accuracy on the evaluation split (agreement with the unpruned model without labels).</param>
/// <param name="Times">Time per stage.</param>
/// <param name="Model">The reconstructed model, when asked for.</param>
/// <param name="Escalations">Ridge escalations needed by the solves.</param>
internal sealed record SubnetResult(int[] Genome, long Macs, long Params, double Accuracy, SubnetTimings Times, OnnxModel? Model, int Escalations);
