using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Tests.Cli;
using FastPrune.Tests.Data;
using Xunit;
using static FastPrune.Tests.Fuzz.HostileFiles;

namespace FastPrune.Tests.Fuzz;

/// <summary>
/// Resource bounds of the model loader: initializers that claim more bytes than the file holds, and files of
/// millions of tiny protobuf entries (which parse into about 100 times their size), refused before the memory is spent.
/// </summary>
public sealed class HostileModelTests : IDisposable
{
    private const int Millions = 4_100_000;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(9)] // TensorProto.raw_data
    [InlineData(4)] // TensorProto.float_data, packed
    public void Load_InitializerClaimingMoreBytesThanTheFile_RefusedBeforeAllocating(int field)
    {
        // A model whose only initializer declares 2^31 - 1 bytes of data in a file of a few dozen bytes.
        byte[] tensor = [.. Tag(field, 2), .. Varint(int.MaxValue), .. new byte[8]];
        byte[] graph = [.. Tag(5, 2), .. Varint(tensor.Length), .. tensor];
        byte[] model = [.. Tag(7, 2), .. Varint(graph.Length), .. graph];
        string path = _dir.File("claims.onnx");
        File.WriteAllBytes(path, model);

        var e = HostileHeaderTests.RefusedWithin<ModelFormatException>(() => OnnxModel.Load(path));

        Assert.StartsWith(path, e.Message);
        Assert.Contains("not a valid ONNX protobuf", e.Message);
    }

    [Theory]
    [InlineData("nodes")]
    [InlineData("subgraph")]
    [InlineData("unknown")]
    public void Load_MillionsOfTinyEntries_RefusedBeforeParsing(string where)
    {
        // Before the count: a 10 MB file of empty nodes took 1.2 GB and 30 s to be refused for its missing opset.
        byte[] node = [.. Tag(1, 2), 0];                              // GraphProto.node {}
        byte[] unknown = [.. Tag(100, 0), 0];                         // ModelProto field 100 = 0
        byte[] model = where switch
        {
            "nodes" => Message(7, Repeat(node, Millions)),
            // Node { attribute { g { node {} x 4.1M } } }: the entries hide inside a subgraph.
            "subgraph" => Message(7, Message(1, Message(5, Message(6, Repeat(node, Millions))))),
            _ => Repeat(unknown, Millions),
        };
        string path = _dir.File("entries.onnx");
        File.WriteAllBytes(path, model);

        var e = HostileHeaderTests.RefusedWithin<ModelFormatException>(() => OnnxModel.Load(path));

        Assert.StartsWith(path, e.Message);
        Assert.Contains("more than 4000000 protobuf entries", e.Message);
        var r = CliRun.Run("inspect", path);
        CliAssert.OneLineError(r, 3, path, "protobuf entries");
    }

    [Fact]
    public void Inspect_ExternalRegionsSharingBytes_ExitsInvalidBeforeReading()
    {
        // Each region lies inside the 32-byte file, but together they take 48 bytes of it: tensors naming the
        // same bytes would multiply a large file in memory.
        File.WriteAllBytes(_dir.File("w.bin"), new byte[32]);
        var m = TinyModels.WithExternal(TinyModels.Conv(), "head.weight", "w.bin", offset: 0, length: 32);
        m = TinyModels.WithExternal(m, "conv.bias", "w.bin", offset: 16, length: 16);
        string path = _dir.File("shared.onnx");
        TinyModels.Write(path, m);

        var r = CliRun.Run("inspect", path);

        string line = CliAssert.OneLineError(r, 3, path, "add up to more than its 32 bytes");
        Assert.Contains("tensor 'head.weight'", line);
    }

    [Fact]
    public void Load_ExternalTensorLargerThanAnArray_RefusedBeforeAllocating()
    {
        // A sparse 2.4 GB file takes no disk; the 600M-float tensor in it cannot be one .NET array.
        using (var fs = File.Create(_dir.File("big.bin"))) fs.SetLength(2_400_000_000);
        var m = TinyModels.Conv();
        m.Graph.Initializer.Add(new TensorProto { Name = "big", DataType = 1, Dims = { 600_000_000 } });
        m = TinyModels.WithExternal(m, "big", "big.bin");
        string path = _dir.File("big.onnx");
        TinyModels.Write(path, m);

        var e = HostileHeaderTests.RefusedWithin<ModelFormatException>(() => OnnxModel.Load(path));

        Assert.Contains("tensor 'big': external data of 2400000000 bytes is more than one tensor can hold", e.Message);
    }

    [Fact]
    public void Inspect_AttributeTensorInExternalData_ExitsInvalidNamingNode()
    {
        // Before: the attribute's tensor stayed empty and Reshape reported a shape of [] instead.
        var m = TinyModels.Conv();
        var value = new TensorProto { Name = "c", DataType = 7, Dims = { 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        value.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "w.bin" });
        var constant = new NodeProto { OpType = "Constant", Name = "const", Output = { "unused" } };
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });
        m.Graph.Node.Insert(0, constant);
        string path = _dir.File("attr.onnx");
        TinyModels.Write(path, m);

        var r = CliRun.Run("inspect", path);

        string line = CliAssert.OneLineError(r, 3, path, "keeps its tensor in external data");
        Assert.Contains("node 'const'", line);
    }
}
