using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Zoo;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.RoundTrip;

/// <summary>
/// DeiT-Base (350 MB) is written, loaded, saved and loaded once; the suite's only DeiT-Base ORT pair of
/// this project's own tests is run here (batch 1): original bytes against round-tripped bytes.
/// </summary>
public sealed class DeitBaseRoundTripFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastprune-deit-").FullName;

    public DeitBaseRoundTripFixture()
    {
        var original = ZooModels.Build("deit_base", 9).ToByteArray();
        var path = Path.Combine(_dir, "deit_base.onnx");
        File.WriteAllBytes(path, original);
        var saved = Path.Combine(_dir, "saved.onnx");
        OnnxModel.Load(path).Save(saved);
        Loaded = OnnxModel.Load(saved);
        var shape = new long[] { 1, 3, 224, 224 };
        var x = Ort.RandomInput(shape, 24);
        Expected = OrtAll.RunBytes(original, x, shape);
        Actual = OrtAll.RunBytes(Loaded.ToBytes(), x, shape);
        Structure = PrunableStructure.Analyze(Loaded);
    }

    public OnnxModel Loaded { get; }

    public List<(string Name, long[] Shape, byte[] Bytes)> Expected { get; }

    public List<(string Name, long[] Shape, byte[] Bytes)> Actual { get; }

    public PrunableStructure Structure { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

public sealed class DeitBaseRoundTripTests(DeitBaseRoundTripFixture deit) : IClassFixture<DeitBaseRoundTripFixture>
{
    [Fact]
    public void LoadSaveLoad_DeitBase_OrtOutputsBitIdentical()
    {
        Assert.Equal([1L, 1000L], deit.Expected.Single().Shape);
        RoundTripTests.AssertBitIdentical(deit.Expected, deit.Actual);
    }

    [Fact]
    public void Analyze_DeitBase_Has12HeadsGenesAnd12HiddenGenesInBlockOrder()
    {
        var genes = deit.Structure.Genes;
        Assert.Equal(24, genes.Count);
        for (int b = 0; b < 12; b++)
        {
            Assert.Equal(new Gene($"/blocks/blocks.{b}/attn/qkv/MatMul", GeneKind.Heads, 1, 12, 1), genes[2 * b]);
            Assert.Equal(new Gene($"/blocks/blocks.{b}/mlp/fc1/MatMul", GeneKind.Hidden, 1, 3072, 1), genes[(2 * b) + 1]);
        }
    }

    [Fact]
    public void Analyze_DeitBaseOpset13_HasDecomposedLayerNormAndShapeChains()
    {
        // The variant analysed above is exactly the case the issue names: LayerNorm as ReduceMean/Sub/Pow/Sqrt/Div
        // and Reshape targets built at run time by Shape → Gather → Unsqueeze → Concat.
        var g = deit.Loaded.Proto.Graph;
        Assert.DoesNotContain(g.Node, n => n.OpType == "LayerNormalization");
        Assert.Equal(25, g.Node.Count(n => n.OpType == "ReduceMean") / 2);
        Assert.Contains(g.Node, n => n.OpType == "Pow");
        var index = new GraphIndex(g);
        var reshapes = g.Node.Where(n => n.OpType == "Reshape").ToList();
        Assert.Equal(1 + (12 * 2), reshapes.Count);
        Assert.All(reshapes, n => Assert.Equal("Concat", index.Node(index.Producer(n.Input[1])).OpType));
        Assert.Equal(17_563_828_224, ModelCost.Compute(deit.Loaded).Macs);
    }
}
