namespace FastPrune.Cluster;

/// <summary>
/// How to reach the cluster and how its workers work. <see cref="Clustering"/> is <c>localhost</c> by default:
/// Orleans' development clustering on one machine, whose first silo (on <see cref="SiloPort"/>) is the primary that
/// later ones and the coordinator join; or a production membership store (Redis, ADO.NET, under Kubernetes or not).
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The membership provider (default <c>localhost</c>); <see cref="Cluster.Clustering.Parse"/> reads <c>--cluster</c>.</summary>
    public Clustering Clustering { get; init; } = new(ClusteringProvider.Localhost);
    /// <summary>The primary silo's port on localhost, a worker's silo port otherwise (default 11111); later workers on the machine take the next free ones.</summary>
    public int SiloPort { get; init; } = 11111;
    /// <summary>The primary silo's gateway port, which the coordinator connects to (default 30000); later workers take the next free ones.</summary>
    public int GatewayPort { get; init; } = 30000;
    /// <summary>A worker's ONNX Runtime threads (default 0: all cores).</summary>
    public int Threads { get; init; }
    /// <summary>A worker's device (default <see cref="ComputeTarget.Cpu"/>).</summary>
    public ComputeTarget Device { get; init; } = ComputeTarget.Cpu;
    /// <summary>With <see cref="ComputeTarget.Cuda"/>: which of the visible GPUs (<c>cuda:N</c>); null: the first.</summary>
    public int? DeviceIndex { get; init; }
    /// <summary>How long one subnet may take on a worker before it is given to another (default 10 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Worker failures a subnet may see before the coordinator evaluates it itself (default 2).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>How long a worker that failed or timed out first sits out, across generations (default 30 s; doubled for
    /// each failure in a row, up to 16×; a worker that answers again is back at once).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The options, checked.</summary>
    /// <exception cref="FastPruneException">A value cannot be honoured (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    internal ClusterOptions Checked()
    {
        ArgumentNullException.ThrowIfNull(Clustering);
        if (SiloPort is < 1 or > 65535) throw Failures.Invalid($"--silo-port {SiloPort}: not a TCP port");
        if (GatewayPort is < 1 or > 65535) throw Failures.Invalid($"--gateway-port {GatewayPort}: not a TCP port");
        if (DeviceIndex is { } n && (n < 0 || Device != ComputeTarget.Cuda))
            throw Failures.Invalid($"--device {Device.ToString().ToLowerInvariant()}:{n}: a device index is 0 or more and only for cuda");
        if (Threads < 0) throw Failures.Invalid($"--threads {Threads}: threads are 0 (all cores) or more");
        if (Timeout <= TimeSpan.Zero) throw Failures.Invalid($"--worker-timeout {Timeout.TotalSeconds}: must be positive");
        if (Retries < 0) throw Failures.Invalid($"--retries {Retries}: must be 0 or more");
        if (Backoff < TimeSpan.Zero) throw Failures.Invalid($"--worker-backoff {Backoff.TotalSeconds}: must be 0 or more");
        return this;
    }

    internal DispatchOptions Dispatch => new(Timeout, Retries, Backoff);
}
