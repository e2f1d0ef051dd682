using System.CommandLine;
using FastPrune.Cli.Commands;

namespace FastPrune.Cli;

/// <summary>The fastprune command line, callable in-process with its own output writers (tests do).</summary>
public static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var io = new CliIo(stdout, stderr, cancel);
        var root = new RootCommand("FastPrune: evolutionary structured pruning of ONNX CNNs and vision transformers, without fine-tuning.")
        {
            io.Verbose,
        };
        root.Subcommands.Add(InspectCommand.Create(io));
        root.Subcommands.Add(PruneCommand.Create(io));
        root.Subcommands.Add(EvalCommand.Create(io));
        root.Subcommands.Add(RunCommand.Create(io));
        root.Subcommands.Add(ZooCommand.Create(io));
        root.Subcommands.Add(BenchCommand.Create(io));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, exit code 2, as for every other usage error.
            stderr.WriteLine($"fastprune: {parsed.Errors[0].Message} (see 'fastprune --help')");
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}

/// <summary>What every command shares: the writers, the cancellation token and the --verbose flag.</summary>
internal sealed class CliIo(TextWriter stdout, TextWriter stderr, CancellationToken cancel)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    public CancellationToken Cancel { get; } = cancel;

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "print stack traces with errors", Recursive = true };

    /// <summary>Runs a command body with the error mapping of <see cref="CliError"/>.</summary>
    public int Guard(ParseResult pr, Func<int> body) => CliError.Run(body, pr.GetValue(Verbose), Err);

    /// <summary>A model-file argument that refuses option-like tokens (an unknown flag is a usage error, not a missing file).</summary>
    public static Argument<string> ModelArgument(string name = "model", string description = "ONNX model file")
    {
        var a = new Argument<string>(name) { Description = description };
        a.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (v is not null && v.StartsWith('-'))
                r.AddError($"unknown option '{v}'");
        });
        return a;
    }
}
