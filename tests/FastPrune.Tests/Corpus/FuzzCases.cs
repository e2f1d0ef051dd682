using FastPrune.Cli;
using FastPrune.Data;
using FastPrune.Graph.Onnx;
using FastPrune.Tests.Cli;
using static FastPrune.Tests.Fuzz.HostileFiles;

namespace FastPrune.Tests.Corpus;

/// <summary>
/// Fuzzer findings and resource bounds (issue 15, branch fuzz): inputs that crashed FastPrune or would have
/// spent memory on a header's promise, through the commands that read them. The allocation measurements and
/// the reader-level checks stay in <c>Fuzz/</c>; these cases assert what the user sees.
/// </summary>
[CorpusSource]
public static class FuzzCases
{
    /// <summary>The cases.</summary>
    public static IEnumerable<CorpusCase> Cases()
    {
        // Fuzz smoke, image target, seed 1, mutant 2,300: a BMP whose pixel offset is 0xCB000036 aborted the process.
        yield return Eval("fuzz/bmp-pixel-offset-3gb", "image does not decode", f =>
            Image(f, "finding.bmp", File.ReadAllBytes(Fuzz.FuzzFindingTests.Finding("bmp-pixel-offset-3gb.bmp"))));
        yield return Eval("bounds/png-100k-by-100k", "larger than the limit of 89,478,485 pixels", f =>
            Image(f, "huge.png", PngHeader(100_000, 100_000)));
        yield return Eval("bounds/npy-int32max-samples", "truncated", f =>
        {
            var p = f.Bytes("x.npy", Npy("<f4", "(2147483647, 1, 28, 28)", new byte[28 * 28 * 4]));
            return (p, [], p);
        });
        yield return Eval("bounds/labels-npy-longmax", "truncated", f =>
        {
            var data = f.Path("x.npy");
            NpyFile.Write(data, new float[2 * 28 * 28], [2, 1, 28, 28]);
            var labels = f.Bytes("labels.npy", Npy("<i8", "(9223372036854775807,)", new byte[16]));
            return (data, ["--labels", labels], labels);
        });
        yield return Eval("bounds/idx-dims-wrap-to-zero", "promise more than", f =>
        {
            // 2^21 * 2^21 * 2^22 = 2^64: the product wrapped to 0 and the header looked complete.
            var p = f.Bytes("wrap-images-idx3-ubyte", IdxHeader(1 << 21, 1 << 21, 1 << 22));
            return (p, [], p);
        });
        yield return Eval("bounds/idx-gz-promising-8gb", "promise more than", f =>
        {
            var ms = new MemoryStream();
            using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
                gz.Write(IdxHeader(int.MaxValue, 28, 28));
            var p = f.Bytes("big-images-idx3-ubyte.gz", ms.ToArray());
            return (p, [], p);
        });
        yield return Inspect("bounds/model-4m-empty-nodes", "protobuf entries", f =>
            f.Bytes("nodes.onnx", Message(7, Repeat([.. Tag(1, 2), 0], 4_100_000))));
        yield return Inspect("bounds/external-regions-share-bytes", "add up to more than its 32 bytes", f =>
        {
            f.Bytes("w.bin", new byte[32]);
            var m = TinyModels.WithExternal(TinyModels.Conv(), "head.weight", "w.bin", offset: 0, length: 32);
            return f.Model("shared.onnx", TinyModels.WithExternal(m, "conv.bias", "w.bin", offset: 16, length: 16));
        });
        yield return Inspect("bounds/attribute-tensor-external", "keeps its tensor in external data", f =>
        {
            var m = TinyModels.Conv();
            var value = new TensorProto { Name = "c", DataType = 7, Dims = { 2 }, DataLocation = TensorProto.Types.DataLocation.External };
            value.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "w.bin" });
            var constant = new NodeProto { OpType = "Constant", Name = "const", Output = { "unused" } };
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });
            m.Graph.Node.Insert(0, constant);
            return f.Model("attr.onnx", m);
        });
    }

    private static CorpusCase Eval(string name, string cause, Func<CorpusFolder, (string Data, string[] Extra, string Names)> make) =>
        new(name, ExitCodes.InvalidInput, cause, f =>
        {
            var model = f.ResNet();
            var (data, extra, names) = make(f);
            return new CorpusCall(["eval", model, "--data", data, "--eval", "2", "--threads", "1", .. extra], names);
        });

    private static CorpusCase Inspect(string name, string cause, Func<CorpusFolder, string> make) =>
        new(name, ExitCodes.InvalidInput, cause, f =>
        {
            var model = make(f);
            return new CorpusCall(["inspect", model], model);
        });

    private static (string, string[], string) Image(CorpusFolder f, string file, byte[] bytes)
    {
        var p = f.Bytes(Path.Combine("images", "cat", file), bytes);
        return (f.Path("images"), [], p);
    }
}
