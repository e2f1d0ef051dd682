using FastPrune.Graph;
using FastPrune.Tests.Cli;
using FastPrune.Tests.Data;
using Xunit;

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
        var r = CliHarness.Run("inspect", path);
        CliHarness.AssertOneLineError(r, 3, path, "protobuf entries");
    }

    private static byte[] Repeat(byte[] entry, int times)
    {
        var b = new byte[entry.Length * times];
        for (int i = 0; i < times; i++) entry.CopyTo(b, i * entry.Length);
        return b;
    }

    private static byte[] Message(int field, byte[] body) => [.. Tag(field, 2), .. Varint(body.Length), .. body];

    private static byte[] Tag(int field, int wireType) => Varint((field << 3) | wireType);

    private static byte[] Varint(long v)
    {
        var b = new List<byte>();
        ulong u = (ulong)v;
        do
        {
            b.Add((byte)((u & 0x7F) | (u > 0x7F ? 0x80u : 0)));
            u >>= 7;
        } while (u != 0);
        return [.. b];
    }
}
