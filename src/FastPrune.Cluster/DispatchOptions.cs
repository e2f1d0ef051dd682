namespace FastPrune.Cluster;

/// <summary>How the coordinator treats workers that fail: how long one evaluation may take on a worker before its
/// genome is given to another, how many such failures a genome may see before this process evaluates it, and how long
/// a failed worker first sits out (<see cref="WorkerBench"/>).</summary>
internal sealed record DispatchOptions(TimeSpan Timeout, int Retries, TimeSpan Backoff);
