using FastPrune.Pipeline;

namespace FastPrune.Search;

/// <summary>
/// Where a generation's subnets are evaluated: in this process (<see cref="LocalEvaluator"/>) or on workers
/// (FastPrune.Cluster). The search hands over the genomes it has not seen yet and records each result in genome index
/// order, so the history does not depend on which evaluator ran them, or in which order they finished.
/// </summary>
internal interface ISubnetEvaluator
{
    /// <summary>Evaluates every genome of <paramref name="genomes"/> with the search's reconstruction and calls
    /// <paramref name="record"/> with each index and result in increasing index order, as soon as all before it are in.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; results recorded so far stay recorded.</exception>
    void EvaluateAll(IReadOnlyList<int[]> genomes, Action<int, SubnetResult> record, CancellationToken cancel);
}

/// <summary>Makes the evaluator of a run, given the options its calibrated model was opened with (what a worker must open
/// too), the search's reconstruction and the run's own calibrated model (for evaluating in process when no worker is there).</summary>
internal delegate ISubnetEvaluator EvaluatorFactory(PruneOptions openOptions, ReconMode mode, CalibratedModel calibrated);
