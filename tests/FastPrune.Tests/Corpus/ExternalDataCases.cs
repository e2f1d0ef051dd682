using FastPrune.Cli;
using FastPrune.Tests.Cli;

namespace FastPrune.Tests.Corpus;

/// <summary>Initializers stored as external data that escapes the model's folder, lies outside its file or is not a file.</summary>
[CorpusSource]
public static class ExternalDataCases
{
    private const string Tensor = "conv.weight";
    private const int Bytes = 4 * 3 * 3 * 3 * 4;

    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        foreach (var cmd in new[] { "inspect", "prune" })
        {
            yield return Case(cmd, "dotdot", "escapes the model folder", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes]);
                return Model(f, "../weights.bin", "m/model.onnx");
            });
            yield return Case(cmd, "absolute", "absolute path", f => Model(f, f.Bytes("weights.bin", new byte[Bytes])));
            yield return Case(cmd, "symlink-out", "resolves outside the model folder", f =>
            {
                var target = f.Bytes("outside/weights.bin", new byte[Bytes]);
                f.Dir("m");
                File.CreateSymbolicLink(f.Path("m", "weights.bin"), target);
                return Model(f, "weights.bin", "m/model.onnx");
            });
            yield return Case(cmd, "symlinked-folder-out", "resolves outside the model folder", f =>
            {
                f.Bytes("outside/weights.bin", new byte[Bytes]);
                f.Dir("m");
                Directory.CreateSymbolicLink(f.Path("m", "sub"), f.Path("outside"));
                return Model(f, "sub/weights.bin", "m/model.onnx");
            });
            yield return Case(cmd, "missing-file", "does not exist", f => Model(f, "weights.bin"));
            yield return Case(cmd, "folder", "is a folder", f =>
            {
                f.Dir("weights.bin");
                return Model(f, "weights.bin");
            });
            yield return Case(cmd, "offset-past-end", "lies outside", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes]);
                return Model(f, "weights.bin", offset: Bytes);
            });
            yield return Case(cmd, "file-too-short", "lies outside", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes - 4]);
                return Model(f, "weights.bin");
            });
            yield return Case(cmd, "length-mismatch", "does not match dims", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes]);
                return Model(f, "weights.bin", length: Bytes - 4);
            });
            yield return Case(cmd, "offset-negative", "not a non-negative integer", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes]);
                return Model(f, "weights.bin", rawOffset: "-4");
            });
            yield return Case(cmd, "offset-text", "not a non-negative integer", f =>
            {
                f.Bytes("weights.bin", new byte[Bytes]);
                return Model(f, "weights.bin", rawOffset: "four");
            });
            yield return Case(cmd, "no-location", "without a location", f => Model(f, ""));
        }
    }

    private static CorpusCase Case(string cmd, string what, string cause, Func<CorpusFolder, string> model) =>
        new($"external/{cmd}/{what}", ExitCodes.InvalidInput, cause, f =>
        {
            var m = model(f);
            return new CorpusCall(ModelFileCases.CommandLine(cmd, f, m), Tensor);
        });

    private static string Model(CorpusFolder f, string location, string name = "model.onnx", long? offset = null, long? length = null, string? rawOffset = null)
    {
        var proto = TinyModels.WithExternal(TinyModels.Conv(), Tensor, location, offset, length);
        if (rawOffset is not null)
        {
            var t = proto.Graph.Initializer.Single(i => i.Name == Tensor);
            t.ExternalData.Add(new FastPrune.Graph.Onnx.StringStringEntryProto { Key = "offset", Value = rawOffset });
        }
        return f.Model(name, proto);
    }
}
