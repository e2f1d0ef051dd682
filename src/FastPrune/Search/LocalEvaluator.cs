using FastPrune.Pipeline;

namespace FastPrune.Search;

/// <summary>Evaluates a generation's subnets one after another in this process, on the run's own calibrated model (keeping each
/// subnet's model with <paramref name="keepModel"/>, for the latency objective).</summary>
internal sealed class LocalEvaluator(CalibratedModel calibrated, ReconMode mode, bool keepModel = false) : ISubnetEvaluator
{
    /// <inheritdoc />
    public void EvaluateAll(IReadOnlyList<int[]> genomes, Action<int, SubnetResult> record, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        ArgumentNullException.ThrowIfNull(record);
        for (int i = 0; i < genomes.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            record(i, calibrated.Evaluate(genomes[i], mode, keepModel, cancel));
        }
    }
}
