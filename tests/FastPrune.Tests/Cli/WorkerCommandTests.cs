using FastPrune.Cli;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary><c>fastprune worker</c> and <c>run --cluster</c>: values that cannot be honoured are refused in one line with
/// exit code 2, before anything starts or is written.</summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Theory]
    [InlineData(new[] { "worker", "--cluster", "redis" }, "--cluster redis")]
    [InlineData(new[] { "worker", "--cluster", "localhost", "--device", "auto" }, "--device 'auto'")]
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
    public void Run_UnsupportedClustering_UsageErrorNoRunFolder()
    {
        var output = _cli.PathOf("run");
        var r = CliRun.Run("run", "--cluster", "redis", "--budget", "1", "--out", output);
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("only localhost clustering", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    public void Dispose() => _cli.Dispose();
}
