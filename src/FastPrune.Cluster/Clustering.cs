using System.Data.Common;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansCluster = Orleans.Configuration.ClusterOptions;
using StackExchange.Redis;

namespace FastPrune.Cluster;

/// <summary>The membership provider a cluster runs on.</summary>
public enum ClusteringProvider
{
    /// <summary>Orleans' development clustering: one machine, the first worker is the primary silo.</summary>
    Localhost,
    /// <summary>A Redis server holds the membership table (<c>Microsoft.Orleans.Clustering.Redis</c>).</summary>
    Redis,
    /// <summary>A SQL database holds it (<c>Microsoft.Orleans.Clustering.AdoNet</c>; the user runs Orleans' membership script once).</summary>
    AdoNet,
}

/// <summary>
/// A parsed <c>--cluster</c> value, the one place that reads it:
/// <c>localhost</c> | <c>redis=&lt;StackExchange.Redis configuration&gt;</c> |
/// <c>adonet=&lt;invariant&gt;;&lt;connection string&gt;</c> (invariants <c>Npgsql</c>, <c>MySqlConnector</c>) | and either
/// production provider prefixed <c>kubernetes+</c>: workers in pods take their name, address and ids from the pod
/// (Orleans' Kubernetes hosting, which is no membership store of its own, so it always names one).
/// </summary>
/// <param name="Provider">Where the membership table lives.</param>
/// <param name="Connection">The Redis configuration or the database connection string (null for localhost).</param>
/// <param name="Invariant">The ADO.NET provider invariant (null unless <see cref="ClusteringProvider.AdoNet"/>).</param>
/// <param name="Kubernetes">Whether workers run under Orleans' Kubernetes hosting.</param>
public sealed record Clustering(ClusteringProvider Provider, string? Connection = null, string? Invariant = null, bool Kubernetes = false)
{
    /// <summary>The cluster and service id every FastPrune silo and coordinator uses (a Kubernetes pod must be labelled with it).</summary>
    public const string Id = "fastprune";

    /// <summary>The ADO.NET providers this build ships, by the invariant Orleans knows them by.</summary>
    private static readonly Dictionary<string, Func<DbProviderFactory>> Invariants = new(StringComparer.Ordinal)
    {
        ["Npgsql"] = () => Npgsql.NpgsqlFactory.Instance,
        ["MySqlConnector"] = () => MySqlConnector.MySqlConnectorFactory.Instance,
    };

    /// <summary>Reads a <c>--cluster</c> value.</summary>
    /// <exception cref="FastPruneException">The value, with the part that cannot be honoured named (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    public static Clustering Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Forms = "expected localhost, redis=<host:port>, adonet=<invariant>;<connection string> or kubernetes+redis=… / kubernetes+adonet=…";
        string rest = text.Trim();
        bool kubernetes = rest.StartsWith("kubernetes+", StringComparison.OrdinalIgnoreCase);
        if (kubernetes) rest = rest["kubernetes+".Length..];
        else if (rest.Equals("kubernetes", StringComparison.OrdinalIgnoreCase))
            throw Failures.Invalid("--cluster kubernetes: Orleans' Kubernetes hosting keeps no membership of its own; name the store: kubernetes+redis=<host:port> or kubernetes+adonet=<invariant>;<connection string>");
        int eq = rest.IndexOf('=', StringComparison.Ordinal);
        string name = eq < 0 ? rest : rest[..eq], value = eq < 0 ? "" : rest[(eq + 1)..].Trim();
        switch (name.Trim().ToLowerInvariant())
        {
            case "localhost" when eq < 0 && !kubernetes:
                return new Clustering(ClusteringProvider.Localhost);
            case "localhost":
                throw Failures.Invalid($"--cluster {text}: localhost clustering takes no connection string and cannot run under Kubernetes");
            case "redis":
                if (value.Length == 0) throw Failures.Invalid($"--cluster {text}: redis needs its server: redis=<host:port>");
                int endpoints;
                try
                {
                    endpoints = ConfigurationOptions.Parse(value).EndPoints.Count;
                }
                catch (ArgumentException e)
                {
                    throw Failures.Invalid($"--cluster {text}: redis configuration '{value}': {e.Message.Split('\n')[0]}");
                }
                // StackExchange.Redis reads an unknown key=value or a bad port as no server at all; Orleans would fail later.
                if (endpoints == 0) throw Failures.Invalid($"--cluster {text}: redis configuration '{value}' names no server (expected host:port)");
                return new Clustering(ClusteringProvider.Redis, value, null, kubernetes);
            case "adonet":
                int semi = value.IndexOf(';', StringComparison.Ordinal);
                string invariant = semi < 0 ? value : value[..semi].Trim(), connection = semi < 0 ? "" : value[(semi + 1)..].Trim();
                if (!Invariants.ContainsKey(invariant))
                    throw Failures.Invalid($"--cluster {text}: ADO.NET invariant '{invariant}': this build ships {string.Join(" and ", Invariants.Keys)}");
                if (connection.Length == 0) throw Failures.Invalid($"--cluster {text}: adonet needs a connection string after '{invariant};'");
                try
                {
                    _ = new DbConnectionStringBuilder { ConnectionString = connection };
                }
                catch (ArgumentException e)
                {
                    throw Failures.Invalid($"--cluster {text}: connection string: {e.Message.Split('\n')[0]}");
                }
                return new Clustering(ClusteringProvider.AdoNet, connection, invariant, kubernetes);
            default:
                throw Failures.Invalid($"--cluster {text}: unknown clustering '{name}': {Forms}");
        }
    }

    /// <summary>A worker silo's membership and endpoints: on localhost the primary is <paramref name="primary"/>; with a
    /// production store the silo listens on every address (under Kubernetes, the pod's ports and address).</summary>
    internal void ConfigureSilo(ISiloBuilder silo, int siloPort, int gatewayPort, int primary)
    {
        if (Provider == ClusteringProvider.Localhost)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primary));
            return;
        }
        if (Kubernetes) silo.UseKubernetesHosting();
        else
        {
            silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
            silo.Configure<OrleansCluster>(o => (o.ClusterId, o.ServiceId) = (Id, Id));
        }
        if (Provider == ClusteringProvider.Redis) silo.UseRedisClustering(Connection!);
        else
        {
            Register(Invariant!);
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant!, Connection!));
        }
    }

    /// <summary>A coordinator's membership: the gateways it may connect to.</summary>
    internal void ConfigureClient(IClientBuilder client, int gatewayPort)
    {
        if (Provider == ClusteringProvider.Localhost)
        {
            client.UseLocalhostClustering(gatewayPort);
            return;
        }
        client.Configure<OrleansCluster>(o => (o.ClusterId, o.ServiceId) = (Id, Id));
        if (Provider == ClusteringProvider.Redis) client.UseRedisClustering(Connection!);
        else
        {
            Register(Invariant!);
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant!, Connection!));
        }
    }

    /// <summary>Makes the bundled ADO.NET provider findable by its invariant (Orleans looks it up by name).</summary>
    private static void Register(string invariant)
    {
        if (!DbProviderFactories.TryGetFactory(invariant, out _)) DbProviderFactories.RegisterFactory(invariant, Invariants[invariant]());
    }

    /// <inheritdoc />
    public override string ToString() => (Kubernetes ? "kubernetes+" : "") + Provider switch
    {
        ClusteringProvider.Localhost => "localhost",
        ClusteringProvider.Redis => "redis",
        _ => $"adonet ({Invariant})",
    };
}
