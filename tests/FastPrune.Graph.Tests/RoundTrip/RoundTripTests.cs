using FastPrune.Graph.Tests.Support;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.RoundTrip;

/// <summary>Load → save → load changes nothing ONNX Runtime can see: outputs are bit-identical to the original bytes' outputs.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastprune-rt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<object[]> Samples() => Repo.SampleModels();

    /// <summary>Loads <paramref name="path"/>, saves it, loads the saved file and returns its bytes.</summary>
    private byte[] LoadSaveLoad(string path)
    {
        var saved = Path.Combine(_dir, "saved.onnx");
        OnnxModel.Load(path).Save(saved);
        return OnnxModel.Load(saved).ToBytes();
    }

    internal static void AssertBitIdentical(List<(string Name, long[] Shape, byte[] Bytes)> expected, List<(string Name, long[] Shape, byte[] Bytes)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, actual[i].Name);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            Assert.True(expected[i].Bytes.AsSpan().SequenceEqual(actual[i].Bytes), $"output '{expected[i].Name}' differs in some bit");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void LoadSaveLoad_Sample_OrtOutputsBitIdentical(string sample)
    {
        var path = Repo.Sample(sample);
        var original = File.ReadAllBytes(path);
        var shape = Ort.InputShape(OnnxModel.FromBytes(original), 3);
        var x = Ort.RandomInput(shape, 21);

        var roundTripped = LoadSaveLoad(path);

        AssertBitIdentical(OrtAll.RunBytes(original, x, shape), OrtAll.RunBytes(roundTripped, x, shape));
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("mobilenetv1")]
    [InlineData("legacy_cnn")]
    [InlineData("vit_toy")]
    public void LoadSaveLoad_ZooModel_OrtOutputsBitIdentical(string name)
    {
        var original = ZooCache.Get(name).ToByteArray();
        var path = Path.Combine(_dir, name + ".onnx");
        File.WriteAllBytes(path, original);
        var shape = ZooCache.InputShape(ZooCache.Get(name), 1);
        var x = Ort.RandomInput(shape, 22);

        var roundTripped = LoadSaveLoad(path);

        AssertBitIdentical(OrtAll.RunBytes(original, x, shape), OrtAll.RunBytes(roundTripped, x, shape));
    }

    [Fact]
    public void LoadSaveLoad_TypedFieldsAndExternalData_Preserved()
    {
        // A model whose weights sit in float_data (old exporters) and one whose bias is external: both must
        // survive the round trip with the same outputs; external data comes back inline.
        var m = ZooCache.Get("legacy_cnn").Clone();
        var w = m.Graph.Initializer.First(t => t.Dims.Count == 4);
        var floats = TensorData.Floats(w).ToArray();
        w.RawData = ByteString.Empty;
        w.FloatData.Add(floats);
        var bias = m.Graph.Initializer.First(t => t.Dims.Count == 1 && t.DataType == ElementType.Float);
        File.WriteAllBytes(Path.Combine(_dir, "bias.bin"), [.. new byte[4], .. bias.RawData.ToByteArray()]);
        long length = bias.RawData.Length;
        bias.RawData = ByteString.Empty;
        bias.DataLocation = Onnx.TensorProto.Types.DataLocation.External;
        bias.ExternalData.Add(new Onnx.StringStringEntryProto { Key = "location", Value = "bias.bin" });
        bias.ExternalData.Add(new Onnx.StringStringEntryProto { Key = "offset", Value = "4" });
        bias.ExternalData.Add(new Onnx.StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var path = Path.Combine(_dir, "typed.onnx");
        File.WriteAllBytes(path, m.ToByteArray());
        var shape = ZooCache.InputShape(m, 1);
        var x = Ort.RandomInput(shape, 23);

        var roundTripped = LoadSaveLoad(path);

        var reloaded = OnnxModel.FromBytes(roundTripped);
        Assert.Equal(floats, reloaded.Proto.Graph.Initializer.Single(t => t.Name == w.Name).FloatData);
        Assert.Equal(Onnx.TensorProto.Types.DataLocation.Default, reloaded.Proto.Graph.Initializer.Single(t => t.Name == bias.Name).DataLocation);
        var expected = OrtAll.RunBytes(ZooCache.Get("legacy_cnn").ToByteArray(), x, shape);
        AssertBitIdentical(expected, OrtAll.RunBytes(roundTripped, x, shape));
    }
}
