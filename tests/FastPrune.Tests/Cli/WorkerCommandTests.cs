using FastPrune.Cli;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary><c>fastprune worker</c> and <c>run --cluster</c>: values that cannot be honoured are refused in one line with
/// exit code 2, before anything starts or is written.</summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Theory]
    [InlineData(new[] { "worker", "--cluster", "redis" }, "--cluster redis: redis needs its server")]
    [InlineData(new[] { "worker", "--cluster", "redis=" }, "--cluster redis=: redis needs its server")]
    [InlineData(new[] { "worker", "--cluster", "redis=host:notaport" }, "redis configuration 'host:notaport'")]
    [InlineData(new[] { "worker", "--cluster", "adonet=System.Data.SqlClient;Server=db" }, "ADO.NET invariant 'System.Data.SqlClient'")]
    [InlineData(new[] { "worker", "--cluster", "adonet=Npgsql" }, "adonet needs a connection string after 'Npgsql;'")]
    [InlineData(new[] { "worker", "--cluster", "adonet=Npgsql;Host" }, "--cluster adonet=Npgsql;Host: connection string")]
    [InlineData(new[] { "worker", "--cluster", "kubernetes" }, "kubernetes+redis=<host:port>")]
    [InlineData(new[] { "worker", "--cluster", "kubernetes+localhost" }, "localhost clustering takes no connection string")]
    [InlineData(new[] { "worker", "--cluster", "zookeeper=zk:2181" }, "unknown clustering 'zookeeper'")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--device", "auto" }, "--device 'auto'")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--device", "cuda:x" }, "--device 'cuda:x': expected cpu, cuda or cuda:N")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--device", "cuda:-1" }, "--device 'cuda:-1'")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--device", "cpu:0" }, "--device 'cpu:0'")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--threads", "-1" }, "--threads")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--silo-port", "70000" }, "--silo-port 70000")]
    [InlineData(new[] { "worker" }, "--cluster")]
    public void Worker_BadValue_UsageErrorOneLine(string[] args, string problem)
    {
        var r = CliRun.Run(args);
        Assert.Equal(ExitCodes.Usage, r.Code);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(problem, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_CudaWhereNoCudaProvider_EngineUnavailableOneLine()
    {
        // This build carries no CUDA provider (and CI no GPU): the worker is refused as it starts, naming the device.
        // Where CUDA works the worker would serve until stopped: nothing to check there.
        if (FastPrune.Runtime.OrtSessionFactory.TryCreateCuda(out _)) return;
        var r = CliRun.Run("worker", "--cluster", "localhost", "--device", "cuda:0", "--silo-port", "11911", "--gateway-port", "30911");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fastprune: --device cuda:0: CUDA execution provider unavailable: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ClusteringWithoutStore_UsageErrorNoRunFolder()
    {
        var output = _cli.PathOf("run");
        var r = CliRun.Run("run", "--cluster", "kubernetes", "--budget", "1", "--out", output);
        Assert.Equal(ExitCodes.Usage, r.Code);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--cluster kubernetes: Orleans' Kubernetes hosting keeps no membership of its own", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    public void Dispose() => _cli.Dispose();
}
