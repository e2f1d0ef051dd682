using FastPrune.Pipeline;

namespace FastPrune.Cluster;

/// <summary>Where a worker grain gets the session of a run: <see cref="WorkerSessions"/> on a worker silo; a silo host
/// may register another (the tests wrap it to make a device stall) before <c>AddFastPruneWorker</c>.</summary>
internal interface IWorkerSessions
{
    /// <summary>The session of the run <paramref name="spec"/> (its session options as JSON), opened on first use.</summary>
    CalibratedModel For(string spec, CancellationToken cancel);
}
