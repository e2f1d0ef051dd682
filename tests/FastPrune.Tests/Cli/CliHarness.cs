using FastPrune.Cli;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary>Runs the CLI in-process with captured writers, and a scratch folder removed afterwards.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Folder = Path.Combine(Path.GetTempPath(), "fastprune-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Asserts a failure with <paramref name="code"/>: nothing on stdout, exactly one line on stderr, which names
    /// <paramref name="file"/> and contains <paramref name="problem"/>, and no stack trace.</summary>
    public static string AssertOneLineError(CliResult r, int code, string file, string problem)
    {
        Assert.Equal(code, r.Code);
        Assert.Equal("", r.Out);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        return line;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
