namespace FastPrune.Cluster;

/// <summary>How the coordinator treats workers that fail: how long one evaluation may take on a worker before its
/// genome is given to another, and how many such failures a genome may see before this process evaluates it.</summary>
internal sealed record DispatchOptions(TimeSpan Timeout, int Retries);
