using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;
using Google.Protobuf;

namespace FastPrune.Tests.Bench;

/// <summary>Small models written to a per-test temporary folder (deleted on dispose).</summary>
internal sealed class BenchModels : IDisposable
{
    public BenchModels() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "fastprune-bench-" + Guid.NewGuid().ToString("N"));

    /// <summary>input [batch, 16] → Gemm(16→8) → Relu → output [batch, 8].</summary>
    public string Mlp(string name = "mlp.onnx", DimSpec first = default, DimSpec second = default)
    {
        if (first == DimSpec.Unknown) first = "batch";
        if (second == DimSpec.Unknown) second = 16;
        var rng = new Random(5);
        var b = new GraphBuilder("mlp");
        string x = b.Input("input", ElemType.Float, first, second);
        float[] w = Enumerable.Range(0, 8 * 16).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        string y = b.Node("Gemm", [x, b.Initializer("w", [8, 16], w), b.Initializer("b", [8], new float[8])], [Attrs.Int("transB", 1)]);
        b.Output(b.Node("Relu", [y], output: "logits"), ElemType.Float, first, 8);
        return Write(name, b.Build());
    }

    /// <summary>The zoo's toy ViT (dynamic batch, 3×32×32 input).</summary>
    public string VitToy() => Write("vit_toy.onnx", ZooModels.Build("vit_toy", seed: 3));

    /// <summary>A model whose only op is in a domain no runtime implements.</summary>
    public string UnknownOp()
    {
        var b = new GraphBuilder("custom");
        b.ExtraOpsets["com.example.nothing"] = 1;
        string x = b.Input("input", ElemType.Float, "batch", 4);
        b.Output(b.Node("Frobnicate", [x], output: "y", domain: "com.example.nothing"), ElemType.Float, "batch", 4);
        return Write("custom.onnx", b.Build());
    }

    public string Text(string name, string content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public string Write(string name, ModelProto model)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
