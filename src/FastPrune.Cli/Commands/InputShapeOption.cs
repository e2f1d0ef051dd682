using System.CommandLine;

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
}
