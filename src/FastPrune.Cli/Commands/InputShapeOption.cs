using System.CommandLine;
using FastPrune.Graph;

namespace FastPrune.Cli.Commands;

/// <summary><c>--input-shape [NAME:]D0,D1,…</c> (repeatable), which every command that opens a model takes.</summary>
internal static class InputShapeOption
{
    /// <summary>A new instance of the option (System.CommandLine options belong to one command).</summary>
    public static Option<string[]> Create() => new("--input-shape")
    {
        Description = "shape of a graph input whose dims are dynamic, e.g. 1,3,224,224 or images:1,3,512,512 (repeatable); " +
            "for analysis only: written models keep their dynamic dims",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The parsed values.</summary>
    /// <exception cref="UsageException">A value is not <c>[NAME:]D0,D1,…</c> with positive dims.</exception>
    public static IReadOnlyList<InputShape> Parse(ParseResult pr, Option<string[]> option)
    {
        var texts = pr.GetValue(option) ?? [];
        try
        {
            return texts.Select(InputShape.Parse).ToList();
        }
        catch (FormatException e)
        {
            throw new UsageException($"--input-shape {e.Message}");
        }
    }
}
