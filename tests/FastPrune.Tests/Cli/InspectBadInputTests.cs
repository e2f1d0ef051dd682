using FastPrune.Cli;
using FastPrune.Graph.Onnx;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary>
/// Hostile and broken files through <c>fastprune inspect</c>: exit code 3 (4 for a missing file), exactly
/// one line on stderr naming the file and the problem, nothing on stdout, no stack trace.
/// </summary>
public sealed class InspectBadInputTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CliResult Inspect(string path) => CliRun.Run("inspect", path);

    private string Save(string name, ModelProto m)
    {
        var p = _h.PathOf(name);
        TinyModels.Write(p, m);
        return p;
    }

    [Fact]
    public void Inspect_ValidTinyModel_Succeeds()
    {
        var p = Save("ok.onnx", TinyModels.Conv());
        var (code, stdout, stderr) = Inspect(p);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", stderr);
        Assert.Contains("MACs      7,424 at batch 1", stdout, StringComparison.Ordinal); // 8·8·4·27 + 8·8·2·4 = 6912 + 512
    }

    [Fact]
    public void Inspect_MissingFile_ExitsFileSystem()
    {
        var p = _h.PathOf("absent.onnx");
        CliAssert.OneLineError(Inspect(p), ExitCodes.FileSystem, p, "no such file");
    }

    [Fact]
    public void Inspect_EmptyFile_ExitsInvalid()
    {
        var p = _h.PathOf("empty.onnx");
        File.WriteAllBytes(p, []);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "empty");
    }

    [Fact]
    public void Inspect_TruncatedFile_ExitsInvalid()
    {
        var bytes = TinyModels.Conv().ToByteArray();
        var p = _h.PathOf("truncated.onnx");
        File.WriteAllBytes(p, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "protobuf");
    }

    [Theory]
    [InlineData("text")]
    [InlineData("png")]
    [InlineData("random")]
    public void Inspect_NotOnnx_ExitsInvalid(string kind)
    {
        byte[] bytes = kind switch
        {
            "text" => "this is a README, not a model\n"u8.ToArray(),
            "png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
            _ => RandomBytes(4096, 5),
        };
        var p = _h.PathOf($"not-onnx-{kind}.bin");
        File.WriteAllBytes(p, bytes);
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "");
        Assert.True(line.Contains("protobuf", StringComparison.Ordinal) || line.Contains("not an ONNX model", StringComparison.Ordinal), line);
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void Inspect_RawDataSizeMismatch_ExitsInvalidNamingTensor()
    {
        var m = TinyModels.Conv();
        var t = m.Graph.Initializer.Single(i => i.Name == "conv.bias");
        t.RawData = ByteString.CopyFrom(t.RawData.Span[..12]); // 3 floats for dims [4]
        var p = Save("rawdata.onnx", m);
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "conv.bias");
        Assert.Contains("need 4", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NegativeInitializerDim_ExitsInvalid()
    {
        var m = TinyModels.Conv();
        m.Graph.Initializer.Single(i => i.Name == "conv.bias").Dims[0] = -4;
        var p = Save("negdim.onnx", m);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "negative dim -4");
    }

    [Fact]
    public void Inspect_NegativeInputDim_ExitsInvalid()
    {
        var m = TinyModels.Conv();
        m.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue = -8;
        var p = Save("neginput.onnx", m);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "negative dim -8");
    }

    [Fact]
    public void Inspect_OverflowingDims_ExitsInvalidBeforeAllocating()
    {
        var m = TinyModels.Conv();
        var t = m.Graph.Initializer.Single(i => i.Name == "conv.bias");
        t.Dims.Clear();
        t.Dims.Add([1L << 40, 1L << 40]);
        var p = Save("overflow.onnx", m);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "overflow");
    }

    [Fact]
    public void Inspect_InputNobodyProduces_ExitsInvalidNamingNodeAndTensor()
    {
        var m = TinyModels.Conv();
        m.Graph.Node.Single(n => n.Name == "/relu/Relu").Input[0] = "ghost";
        var p = Save("dangling.onnx", m);
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "produced by no node");
        Assert.Contains("/relu/Relu", line, StringComparison.Ordinal);
        Assert.Contains("ghost", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Cycle_ExitsInvalid()
    {
        var m = TinyModels.Conv();
        // relu reads the head's output, the head reads relu's: a two-node cycle
        var relu = m.Graph.Node.Single(n => n.Name == "/relu/Relu");
        relu.Input[0] = "output";
        var p = Save("cycle.onnx", m);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "cycle");
    }

    [Fact]
    public void Inspect_DuplicatedInitializer_ExitsInvalid()
    {
        var m = TinyModels.Conv();
        m.Graph.Initializer.Add(m.Graph.Initializer.Single(i => i.Name == "conv.bias").Clone());
        var p = Save("dup.onnx", m);
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "duplicated initializer");
        Assert.Contains("conv.bias", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_InitializerInputWithOtherShape_ExitsInvalid()
    {
        // IR 3 style: the initializer is also a graph input, whose declared shape must be the initializer's
        var m = TinyModels.Conv();
        m.Graph.Input.Add(FastPrune.Graph.Building.GraphBuilder.MakeValueInfo("conv.bias", FastPrune.Graph.Building.ElemType.Float, [5]));
        var p = Save("initinput.onnx", m);
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "conv.bias");
        Assert.Contains("declares shape [5]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExternalDataWithParentEscape_ExitsInvalid()
    {
        File.WriteAllBytes(_h.PathOf("w.bin"), new byte[16]);
        Directory.CreateDirectory(_h.PathOf("model"));
        var p = Save(Path.Combine("model", "m.onnx"), TinyModels.WithExternal(TinyModels.Conv(), "conv.bias", "../w.bin"));
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "..");
    }

    [Fact]
    public void Inspect_ExternalDataWithAbsolutePath_ExitsInvalid()
    {
        var data = _h.PathOf("w.bin");
        File.WriteAllBytes(data, new byte[16]);
        var p = Save("m.onnx", TinyModels.WithExternal(TinyModels.Conv(), "conv.bias", data));
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "absolute path");
    }

    [Fact]
    public void Inspect_ExternalDataThroughEscapingSymlink_ExitsInvalid()
    {
        Directory.CreateDirectory(_h.PathOf("outside"));
        Directory.CreateDirectory(_h.PathOf("model"));
        File.WriteAllBytes(_h.PathOf(Path.Combine("outside", "secret.bin")), new byte[16]);
        File.CreateSymbolicLink(_h.PathOf(Path.Combine("model", "w.bin")), _h.PathOf(Path.Combine("outside", "secret.bin")));
        var p = Save(Path.Combine("model", "m.onnx"), TinyModels.WithExternal(TinyModels.Conv(), "conv.bias", "w.bin"));
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "outside the model folder");
    }

    [Theory]
    [InlineData(0L, 32L)]  // length beyond the 16-byte file (and not the 16 bytes dims need)
    [InlineData(8L, null)] // 16 bytes from offset 8 of a 16-byte file
    [InlineData(64L, 16L)] // offset past the end
    public void Inspect_ExternalDataOutsideFile_ExitsInvalid(long offset, long? length)
    {
        File.WriteAllBytes(_h.PathOf("w.bin"), new byte[16]);
        var p = Save("m.onnx", TinyModels.WithExternal(TinyModels.Conv(), "conv.bias", "w.bin", offset, length));
        var line = CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "external data");
        Assert.Contains("conv.bias", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ExternalDataInsideFolder_LoadsLikeInline()
    {
        var m = TinyModels.Conv();
        var bias = m.Graph.Initializer.Single(i => i.Name == "conv.bias").RawData.ToByteArray();
        File.WriteAllBytes(_h.PathOf("w.bin"), [.. new byte[8], .. bias]);
        var inline = Save("inline.onnx", m);
        var external = Save("m.onnx", TinyModels.WithExternal(m, "conv.bias", "w.bin", 8, 16));
        var a = CliRun.Run("inspect", inline, "--json");
        var b = CliRun.Run("inspect", external, "--json");
        Assert.Equal(ExitCodes.Ok, b.Code);
        Assert.Equal(a.Out.Replace(inline, "X", StringComparison.Ordinal), b.Out.Replace(external, "X", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_BadModelWithVerbose_PrintsStackTrace()
    {
        var m = TinyModels.Conv();
        m.Graph.Node.Single(n => n.Name == "/relu/Relu").Input[0] = "ghost";
        var p = Save("dangling.onnx", m);
        var (code, stdout, stderr) = CliRun.Run("inspect", p, "--verbose");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("", stdout);
        Assert.Contains("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DeeplyNestedSubgraphs_ExitsInvalidWithoutStackOverflow()
    {
        // 300 If nodes each holding the next one in its then_branch: deeper than protobuf's recursion limit (100),
        // which must stop the parse before any recursive walk of ours could see it.
        var m = TinyModels.Conv();
        var inner = new GraphProto { Name = "leaf" };
        for (int i = 0; i < 300; i++)
        {
            var node = new NodeProto { OpType = "If", Name = $"if{i}" };
            node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
            inner = new GraphProto { Name = $"g{i}" };
            inner.Node.Add(node);
        }
        m.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "evil", Type = AttributeProto.Types.AttributeType.Graph, G = inner });
        var p = _h.PathOf("nested.onnx");
        using (var fs = File.Create(p)) m.WriteTo(fs);
        CliAssert.OneLineError(Inspect(p), ExitCodes.InvalidInput, p, "protobuf");
    }

    [Fact]
    public void Inspect_ChainOf100kRelus_WorksWithoutStackOverflow()
    {
        var p = Save("chain.onnx", TinyModels.ReluChain(100_000));
        var (code, stdout, stderr) = Inspect(p);
        Assert.Equal("", stderr);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Relu 100000", stdout, StringComparison.Ordinal);
        Assert.Contains("MACs      0 at batch 1", stdout, StringComparison.Ordinal);
    }
}
