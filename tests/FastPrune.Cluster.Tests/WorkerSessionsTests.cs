using System.Net;
using System.Text.Json;
using FastPrune.Pipeline;
using Orleans.Runtime;
using Xunit;

namespace FastPrune.Cluster.Tests;

/// <summary>A worker that cannot see a file the coordinator names refuses in one line naming itself and the path.</summary>
public sealed class WorkerSessionsTests
{
    [Theory]
    [InlineData("model")]
    [InlineData("data")]
    public void For_PathWorkerCannotSee_FileSystemErrorNamingWorkerAndPath(string missing)
    {
        string gone = Path.Combine(Path.GetTempPath(), "fastprune-absent-" + Guid.NewGuid().ToString("N"), "x.onnx");
        var options = WorkerCluster.Search(Path.GetTempPath(), seed: 0).Prune;
        options = missing == "model" ? options with { ModelPath = gone } : options with { DataPath = gone };
        using var sessions = new WorkerSessions(new WorkerSettings(1, ComputeTarget.Cpu), new Silo());

        var e = Assert.Throws<FastPruneException>(() => sessions.For(JsonSerializer.Serialize(options), CancellationToken.None));
        Assert.Equal(FastPruneErrorKind.FileSystem, e.Kind);
        Assert.StartsWith($"worker {Silo.Address.ToParsableString()} on {Environment.MachineName}: cannot see {gone} ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>The silo details a worker names itself by.</summary>
    private sealed class Silo : ILocalSiloDetails
    {
        public static readonly SiloAddress Address = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 7);
        public string Name => "silo";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress => Address;
        public SiloAddress GatewayAddress => Address;
    }
}
