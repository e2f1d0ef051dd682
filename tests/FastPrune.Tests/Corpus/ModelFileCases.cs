using FastPrune.Cli;
using FastPrune.Graph.Onnx;
using FastPrune.Tests.Cli;
using Google.Protobuf;

namespace FastPrune.Tests.Corpus;

/// <summary>Model files that are missing, not models, truncated or malformed, through every command that loads one.</summary>
[CorpusSource]
public static class ModelFileCases
{
    private static readonly string[] Commands = ["inspect", "prune", "eval", "run"];

    private static readonly (string What, int Exit, string Cause, Func<ModelProto> Model)[] Broken =
    [
        ("opset-1", ExitCodes.InvalidInput, "opset 1 is not supported", () => CorpusModels.Opset(1)),
        ("opset-27", ExitCodes.InvalidInput, "opsets 7 to 26", () => CorpusModels.Opset(27)),
        ("opset-99", ExitCodes.InvalidInput, "opset 99 is not supported", () => CorpusModels.Opset(99)),
        ("no-graph", ExitCodes.InvalidInput, "no graph", CorpusModels.NoGraph),
        ("no-default-opset", ExitCodes.InvalidInput, "no opset import", CorpusModels.OnlyCustomOpset),
        ("negative-dim", ExitCodes.InvalidInput, "negative dim", CorpusModels.NegativeInputDim),
        ("short-initializer", ExitCodes.InvalidInput, "conv.weight", CorpusModels.ShortInitializer),
        ("dangling-input", ExitCodes.InvalidInput, "produced by no node", CorpusModels.DanglingInput),
        ("produced-twice", ExitCodes.InvalidInput, "produced more than once", CorpusModels.ProducedTwice),
        ("duplicate-initializer", ExitCodes.InvalidInput, "duplicated initializer", CorpusModels.DuplicateInitializer),
        ("node-without-op", ExitCodes.InvalidInput, "without op_type", CorpusModels.NodeWithoutOpType),
        ("output-of-nothing", ExitCodes.InvalidInput, "produced by nothing", CorpusModels.OutputOfNothing),
        ("unnamed-initializer", ExitCodes.InvalidInput, "no name", CorpusModels.UnnamedInitializer),
        ("string-count", ExitCodes.InvalidInput, "strings", CorpusModels.StringInitializerCount),
        ("sparse-initializer", ExitCodes.InvalidInput, "sparse", CorpusModels.SparseInitializer),
        ("huge-initializer-dims", ExitCodes.InvalidInput, "overflow", CorpusModels.HugeInitializerDims),
    ];

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
            yield return Case(cmd, "folder", ExitCodes.InvalidInput, "is a folder", f => f.Dir("model.onnx"));
            foreach (var (what, exit, cause, model) in Broken)
                yield return Case(cmd, what, exit, cause, f => f.Model($"{what}.onnx", model()));
        }
        // Only the pipeline (prune with data, eval, run) feeds the model, so only it refuses what it cannot feed.
        foreach (var cmd in new[] { "eval", "run" })
        {
            yield return Case(cmd, "second-input", ExitCodes.InvalidInput, "one image input only", f => f.Model("two-inputs.onnx", CorpusModels.SecondInput()));
            yield return Case(cmd, "dim-2^62", ExitCodes.InvalidInput, "outside 1..", f => f.Model("huge-dim.onnx", CorpusModels.InputDim(2, 1L << 62)));
            yield return Case(cmd, "batch-2^62", ExitCodes.InvalidInput, "outside 1..", f => f.Model("huge-batch.onnx", CorpusModels.InputDim(0, 1L << 62)));
        }
        yield return Case("prune", "second-input", ExitCodes.InvalidInput, "one image input only", f => f.Model("two-inputs.onnx", CorpusModels.SecondInput()));
        yield return Case("inspect", "dim-2^62", ExitCodes.InvalidInput, "overflow 64 bits", f => f.Model("huge-dim.onnx", CorpusModels.InputDim(2, 1L << 62)));
        yield return Case("prune", "dim-2^62", ExitCodes.InvalidInput, "overflow 64 bits", f => f.Model("huge-dim.onnx", CorpusModels.InputDim(2, 1L << 62)));
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
