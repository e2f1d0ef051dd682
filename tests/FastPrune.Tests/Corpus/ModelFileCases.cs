using FastPrune.Cli;
using FastPrune.Tests.Cli;
using Google.Protobuf;

namespace FastPrune.Tests.Corpus;

/// <summary>Model files that are missing, not models, truncated or malformed, through every command that loads one.</summary>
[CorpusSource]
public static class ModelFileCases
{
    private static readonly string[] Commands = ["inspect", "prune", "eval", "run"];

    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        foreach (var cmd in Commands)
        {
            yield return Case(cmd, "missing", ExitCodes.FileSystem, "no such file", f => f.Path("absent.onnx"));
            yield return Case(cmd, "empty", ExitCodes.InvalidInput, "empty", f => f.Bytes("empty.onnx", []));
            yield return Case(cmd, "text", ExitCodes.InvalidInput, "protobuf", f => f.Text("readme.onnx", "this is a README, not a model\n"));
            yield return Case(cmd, "truncated", ExitCodes.InvalidInput, "protobuf", f =>
            {
                var b = TinyModels.Conv().ToByteArray();
                return f.Bytes("truncated.onnx", b[..(b.Length / 2)]);
            });
        }
    }

    /// <summary>A case running <paramref name="cmd"/> on the model <paramref name="model"/> writes.</summary>
    internal static CorpusCase Case(string cmd, string what, int exit, string cause, Func<CorpusFolder, string> model) =>
        new($"model/{cmd}/{what}", exit, cause, f =>
        {
            var m = model(f);
            return new CorpusCall(CommandLine(cmd, f, m), m, Progress: cmd == "run");
        });

    /// <summary>The smallest command line of <paramref name="cmd"/> that loads <paramref name="model"/>.</summary>
    internal static string[] CommandLine(string cmd, CorpusFolder f, string model) => cmd switch
    {
        "inspect" => ["inspect", model],
        "prune" => ["prune", model, "-g", "max", "-o", f.Path("out.onnx")],
        "eval" => ["eval", model, "--data", f.CalibData(), "--eval", "8", "--threads", "1"],
        "run" => ["run", model, "--data", f.CalibData(), "--calib", "8", "--eval", "8", "--budget", "2", "--out", f.Path("run"), "--no-bench", "--threads", "1"],
        _ => throw new ArgumentOutOfRangeException(nameof(cmd), cmd, null),
    };
}
