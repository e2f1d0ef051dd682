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
        var root = Root(io);
        var parsed = root.Parse(args);
        if (RawArguments.EmptyValue(root, args) is { } empty)
        {
            stderr.WriteLine($"fastprune: {empty} (see 'fastprune --help')");
            return ExitCodes.Usage;
        }
        if (parsed.Errors.Count > 0)
        {
            // One line, exit code 2, as for every other usage error.
            var message = RawArguments.MissingValue(root, args) ?? parsed.Errors[0].Message;
            // The parser's suggestions come as a list on several lines; the contract is one line.
            message = string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            stderr.WriteLine($"fastprune: {message} (see 'fastprune --help')");
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>The command tree: every command, option and default the help shows.</summary>
    internal static RootCommand Root(CliIo io)
    {
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
        root.Subcommands.Add(WorkerCommand.Create(io));
        return root;
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

    /// <summary>A model-file argument that refuses option-like tokens (an unknown flag is a usage error, not a missing file) and an empty path.</summary>
    public static Argument<string> ModelArgument(string name = "model", string description = "ONNX model file")
    {
        var a = new Argument<string>(name) { Description = description };
        a.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>();
            if (v is not null && v.StartsWith('-'))
                r.AddError($"unknown option '{v}'");
            else if (v is { Length: 0 })
                r.AddError($"{name} '': the path is empty");
        });
        return a;
    }

    /// <summary>An output-file option (<c>-o</c>) that refuses an empty path.</summary>
    public static Option<string> OutputOption(string description)
    {
        var o = new Option<string>("--output", "-o") { Description = description, Required = true };
        o.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { Length: 0 })
                r.AddError("-o '': the output path is empty");
        });
        return o;
    }

    /// <summary>An int option whose values below <paramref name="min"/>, or that are no int at all, are a usage error
    /// naming the flag and what it may be.</summary>
    public static Option<int> AtLeast(Option<int> option, int min, string meaning)
    {
        option.CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= min)
                return v;
            r.AddError($"{option.Name} {text}: {meaning}");
            return min;
        };
        return option;
    }

    /// <summary>An enum option whose values are the lower-case names of <see cref="Names"/> (any case); anything else,
    /// numbers included, is a usage error naming the flag and listing the names (the parser's own message names .NET types).</summary>
    public static Option<T> Choice<T>(Option<T> option) where T : struct, Enum
    {
        option.CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (Names.TryParse(text, out T v)) return v;
            var names = Enum.GetValues<T>().Select(Names.Of).ToArray();
            r.AddError($"{option.Name} {text}: expected {string.Join(", ", names[..^1])} or {names[^1]}");
            return default;
        };
        return option;
    }

    /// <summary>The <c>--seed</c> option: 0 to 2³¹−1, every value a different stream (a negative seed is refused rather
    /// than reinterpreted).</summary>
    public static Option<int> SeedOption(string description) =>
        AtLeast(new Option<int>("--seed") { Description = $"{description} (0 to {int.MaxValue})", DefaultValueFactory = _ => 0 },
            0, $"a seed is a whole number from 0 to {int.MaxValue}");
}
