using Xunit;
using FastPrune.TensorRT;

namespace FastPrune.Tests.Bench;

/// <summary>
/// Points the TensorRT binding at a file that does not exist, so the shim is absent whatever this machine has
/// installed; every test that selects an engine runs in this collection, one at a time.
/// </summary>
public sealed class NoShimEnvironment : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable(TensorRtRuntime.EnvironmentVariable);

    public NoShimEnvironment()
    {
        MissingPath = Path.Combine(Path.GetTempPath(), "fastprune-no-shim-" + Guid.NewGuid().ToString("N"), TensorRtRuntime.LibraryFileName);
        Environment.SetEnvironmentVariable(TensorRtRuntime.EnvironmentVariable, MissingPath);
    }

    public string MissingPath { get; }

    public void Dispose() => Environment.SetEnvironmentVariable(TensorRtRuntime.EnvironmentVariable, _previous);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NoShimCollection : ICollectionFixture<NoShimEnvironment>
{
    public const string Name = "bench: TensorRT shim absent";
}
