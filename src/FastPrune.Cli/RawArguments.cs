using System.CommandLine;

namespace FastPrune.Cli;

/// <summary>
/// Checks of the raw argument list that the parser answers badly: an empty value, and an option whose value is
/// missing mid-line (the parser then blames a later token). Both become one usage line naming the option.
/// </summary>
internal static class RawArguments
{
    /// <summary>
    /// An empty value (<c>--out ''</c>, <c>--data ''</c>): no option has a use for one, and as a path it would reach .NET's
    /// file APIs as an argument error. The genome is the exception: its own message says what a genome may be.
    /// </summary>
    public static string? EmptyValue(RootCommand root, string[] args)
    {
        var valued = ValuedOptions(root, args);
        for (int i = 1; i + 1 < args.Length; i++)
        {
            if (!valued.Contains(args[i])) continue;
            if (args[i] is not ("--genome" or "-g") && args[i + 1].Length == 0)
                return $"{args[i]} '': the value is empty";
            i++;
        }
        return null;
    }

    private static HashSet<string> ValuedOptions(RootCommand root, string[] args)
    {
        var cmd = root.Subcommands.FirstOrDefault(c => args.Length > 0 && c.Name == args[0]);
        return cmd is null
            ? []
            : cmd.Options.Concat(root.Options).Where(o => o.Arity.MaximumNumberOfValues > 0 && o.ValueType != typeof(bool))
                .SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// An option that takes a value followed by another option (<c>--data --eval 64</c>): the parser then blames a
    /// later token ('64'), so name the option whose value is missing instead.
    /// </summary>
    public static string? MissingValue(RootCommand root, string[] args)
    {
        var valued = ValuedOptions(root, args);
        for (int i = 1; i < args.Length; i++)
        {
            if (!valued.Contains(args[i])) continue;
            if (i + 1 == args.Length) return $"{args[i]}: missing value";
            if (args[i + 1].StartsWith("--", StringComparison.Ordinal)) return $"{args[i]}: missing value (found option '{args[i + 1]}' instead)";
            i++;
        }
        return null;
    }
}
