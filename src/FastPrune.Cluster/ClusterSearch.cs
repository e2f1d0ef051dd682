using System.Text.Json;
using FastPrune.Pipeline;
using FastPrune.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastPrune.Cluster;

/// <summary>Runs a search whose subnets are evaluated on the cluster's workers; the history, front and written models
/// are those of <see cref="Pruner.Search"/> with the same settings, which is also what runs when no worker is there.</summary>
public static class ClusterSearch
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Joins the cluster as a client and runs the search on its workers (in process while none has joined).</summary>
    /// <param name="settings">What to search and how, as for <see cref="Pruner.Search"/>.</param>
    /// <param name="cluster">How to reach the workers and treat their failures.</param>
    /// <param name="progress">Receives the search's progress.</param>
    /// <param name="cancel">Stops after saving the history, as for <see cref="Pruner.Search"/>.</param>
    /// <exception cref="FastPruneException">What <see cref="Pruner.Search"/> throws, and cluster options that cannot be honoured.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the history so far is a valid checkpoint.</exception>
    public static RunResult Run(SearchSettings settings, ClusterOptions cluster, IProgress<RunProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        cluster = cluster.Checked();
        using var host = Connect(cluster, cancel);
        if (host is null)
        {
            // Said once, so that a mistyped store or a cluster with no worker is not mistaken for a distributed run.
            progress?.Report(new RunProgress(0, 0, settings.Budget, 0, [], TimeSpan.Zero,
                $"no worker answers on the {cluster.Clustering} cluster: the subnets are evaluated in this process"));
            return Pruner.Search(settings, progress, cancel);
        }
        try
        {
            return Failures.Guard(() => Run(settings.ToPipeline(), host.Services.GetRequiredService<IClusterClient>(), cluster.Dispatch, progress, cancel));
        }
        finally
        {
            host.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    /// <summary>The search on the workers of <paramref name="client"/>'s cluster (the tests' in-process cluster, or a
    /// joined one); <paramref name="log"/> hears of every dispatch, reply and worker failure.</summary>
    internal static RunResult Run(RunOptions options, IClusterClient client, DispatchOptions dispatch, IProgress<RunProgress>? progress,
        CancellationToken cancel, Action<string>? log = null) =>
        SearchRun.Execute(options, progress, cancel, (openOptions, mode, calibrated) =>
            new OrleansEvaluator(client, JsonSerializer.Serialize(Absolute(openOptions)), mode, new LocalEvaluator(calibrated, mode), dispatch, log));

    /// <summary>The options with every path made absolute: a worker resolves them from its own working folder.</summary>
    private static PruneOptions Absolute(PruneOptions o) => o with
    {
        ModelPath = Path.GetFullPath(o.ModelPath),
        DataPath = Path.GetFullPath(o.DataPath),
        LabelsPath = o.LabelsPath is null ? null : Path.GetFullPath(o.LabelsPath),
        EvalDataPath = o.EvalDataPath is null ? null : Path.GetFullPath(o.EvalDataPath),
    };

    /// <summary>A started client of the cluster, or null when no silo answers (on localhost: on the gateway port).</summary>
    private static IHost? Connect(ClusterOptions cluster, CancellationToken cancel)
    {
        // Nothing listens on the gateway: no worker has started the cluster (Orleans' client would retry for minutes).
        if (cluster.Clustering.Provider == ClusteringProvider.Localhost && ClusterWorker.Free(cluster.GatewayPort)) return null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => cluster.Clustering.ConfigureClient(c, cluster.GatewayPort));
        var host = builder.Build();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(ConnectTimeout);
            host.StartAsync(limit.Token).GetAwaiter().GetResult();
            return host;
        }
        catch (Exception) when (!cancel.IsCancellationRequested)
        {
            // No worker has started the cluster: the search runs in this process, as it would without --cluster.
            host.Dispose();
            return null;
        }
    }
}
