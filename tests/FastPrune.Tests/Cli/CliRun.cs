using FastPrune.Cli;

namespace FastPrune.Tests.Cli;

/// <summary>What one in-process run of the command line printed and returned.</summary>
/// <param name="Code">The exit code.</param>
/// <param name="Out">Everything written to stdout.</param>
/// <param name="Err">Everything written to stderr.</param>
internal sealed record CliResult(int Code, string Out, string Err)
{
    /// <summary>The non-empty lines of stderr, trimmed.</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc/>
    public override string ToString() => $"exit {Code}\nstdout: {Out}\nstderr: {Err}";
}

/// <summary>The one in-process runner of the command line that every test uses (with captured writers).</summary>
internal static class CliRun
{
    /// <summary>Runs <c>fastprune ARGS</c> with <paramref name="cancel"/> as its Ctrl-C.</summary>
    public static CliResult Run(CancellationToken cancel, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, cancel);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <c>fastprune ARGS</c>.</summary>
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);
}
