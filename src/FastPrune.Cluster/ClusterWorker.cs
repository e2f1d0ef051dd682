using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPrune.Cluster;

/// <summary>A worker silo: joins the cluster and evaluates the subnets coordinators send it until stopped.</summary>
public static class ClusterWorker
{
    /// <summary>Starts a worker silo and serves until <paramref name="cancel"/> is signalled (Ctrl-C, SIGTERM). On
    /// localhost the first worker becomes the primary silo on <see cref="ClusterOptions.SiloPort"/>; later ones take the
    /// next free silo and gateway ports and join it (so do several workers of one machine on Redis or ADO.NET). Workers read the model and data from the paths the coordinator
    /// names, so they must see the same files (one machine, or a shared file system).</summary>
    /// <param name="cluster">The cluster and this worker's threads and device.</param>
    /// <param name="log">Receives one line when the worker has joined (its ports).</param>
    /// <param name="cancel">Stops the worker (it leaves the cluster gracefully).</param>
    /// <exception cref="FastPruneException">Options that cannot be honoured, or no free port.</exception>
    public static async Task Serve(ClusterOptions cluster, IProgress<string>? log = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster = cluster.Checked();
        if (cluster.Device == ComputeTarget.Cuda)
        {
            // Before the silo starts: nothing may have touched CUDA yet when the device is chosen.
            if (cluster.DeviceIndex is { } index) CudaDevice.Select(index);
            CudaDevice.Probe(cluster.DeviceIndex is { } i ? $"cuda:{i}" : "cuda");
        }
        // Under Kubernetes the pod fixes the ports; elsewhere several workers may share a machine.
        var (silo, gateway, claim) = cluster.Clustering.Kubernetes ? (cluster.SiloPort, cluster.GatewayPort, null) : FreePorts(cluster);
        using var held = claim;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(s =>
        {
            cluster.Clustering.ConfigureSilo(s, silo, gateway, cluster.SiloPort);
            s.AddFastPruneWorker(new WorkerSettings(cluster.Threads, cluster.Device));
        });
        using var host = builder.Build();
        await host.StartAsync(cancel);
        bool primary = cluster.Clustering.Provider == ClusteringProvider.Localhost && silo == cluster.SiloPort;
        log?.Report($"worker joined the {cluster.Clustering} cluster (silo port {silo}, gateway port {gateway}{(primary ? ", primary" : "")})");
        try
        {
            await Task.Delay(Timeout.Infinite, cancel);
        }
        catch (OperationCanceledException)
        {
        }
        await host.StopAsync(CancellationToken.None);
    }

    /// <summary>Registers the worker grain's calibrated-model cache with this worker's settings on a silo (unless the host registered
    /// its own <see cref="IWorkerSessions"/>).</summary>
    internal static ISiloBuilder AddFastPruneWorker(this ISiloBuilder silo, WorkerSettings settings)
    {
        silo.Services.AddSingleton(settings);
        silo.Services.AddSingleton<WorkerSessions>();
        silo.Services.TryAddSingleton<IWorkerSessions>(sp => sp.GetRequiredService<WorkerSessions>());
        return silo;
    }

    /// <summary>The first silo/gateway port pair (the configured ones, then each next pair) that nothing listens on and
    /// no other worker of this machine has claimed; the claim (an exclusively opened file in the temp folder, held until
    /// the worker stops) closes the race between workers started at the same moment, which would otherwise both pick
    /// the same free pair before either listens.</summary>
    private static (int Silo, int Gateway, FileStream Claim) FreePorts(ClusterOptions cluster)
    {
        for (int k = 0; k < 64; k++)
        {
            if (Claim(cluster.SiloPort + k) is not { } claim) continue;
            if (Free(cluster.SiloPort + k) && Free(cluster.GatewayPort + k)) return (cluster.SiloPort + k, cluster.GatewayPort + k, claim);
            claim.Dispose();
        }
        throw Failures.Invalid($"--silo-port {cluster.SiloPort}: no free silo and gateway ports among the next 64");
    }

    private static FileStream? Claim(int port)
    {
        try
        {
            return new FileStream(Path.Combine(Path.GetTempPath(), $"fastprune-worker-{port}.claim"), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null; // another worker of this machine holds it
        }
    }

    /// <summary>Whether nothing listens on <paramref name="port"/> of this machine.</summary>
    internal static bool Free(int port)
    {
        if (port > 65535) return false;
        try
        {
            // Any: a worker of a production store listens on every address, and a loopback bind would not see that.
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
