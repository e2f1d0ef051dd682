using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using FastPrune.Tests.Cli;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace FastPrune.Tests.Shapes;

/// <summary>
/// Ops without a shape rule — a com.microsoft op ONNX Runtime knows (Gelu) and a standard op deliberately left
/// ruleless (LpPool) — between convolutions: the model loads, their shapes are measured by ONNX Runtime (the
/// batch told apart by a second run), MACs equal a count over ORT-measured shapes, their channels are frozen
/// with a reason naming the node, and without an oracle only what needs their shapes fails, naming the op.
/// </summary>
public sealed class ShapeOracleTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Run_OpsWithoutRule_MeasuredShapesEqualOrtForEveryTensor()
    {
        var model = OnnxModel.FromProto(Build()).WithShapeOptions(new ShapeOptions(null, OrtShapeOracle.Instance));
        var index = new GraphIndex(model.Proto.Graph);

        var bound = ShapeInference.Run(index, model, new Dictionary<string, long> { ["batch"] = 1 });
        var symbolic = ShapeInference.Run(index, model);

        foreach (var (tensor, shape) in OrtShapes(model.Proto, [1, 3, 16, 16]).Reverse())
        {
            Assert.True(bound[tensor].IsStatic && shape.SequenceEqual(bound[tensor].StaticShape()), $"'{tensor}': [{bound[tensor].ShapeText}] vs ORT [{string.Join(",", shape)}]");
            Assert.True(Dim.Sym("batch") == symbolic[tensor].Shape![0], $"'{tensor}': symbolic [{symbolic[tensor].ShapeText}]");
        }
        Assert.Equal("batch,8,8,8", symbolic["lp_out"].ShapeText);
        Assert.Equal("batch,8,8,8", symbolic["gelu_out"].ShapeText);
    }

    [Fact]
    public void Compute_OpsWithoutRule_MacsEqualCountOverOrtShapes()
    {
        var model = OnnxModel.FromProto(Build()).WithShapeOptions(new ShapeOptions(null, OrtShapeOracle.Instance));
        var ort = OrtShapes(model.Proto, [1, 3, 16, 16]);
        long Numel(string t) => ort[t].Aggregate(1L, (a, d) => a * d);

        long expected = Numel("c1") * 3 * 3 * 3 + Numel("c2") * 8 + Numel("c3") * 8 * 3 * 3 + Numel("logits") * 6;

        Assert.Equal(expected, ModelCost.Compute(model).Macs);
    }

    [Fact]
    public void Analyze_OpsWithoutRule_FreezeTheirChannelsNamingTheNode()
    {
        var model = OnnxModel.FromProto(Build()).WithShapeOptions(new ShapeOptions(null, OrtShapeOracle.Instance));

        var s = PrunableStructure.Analyze(model);

        Assert.Contains(s.Frozen, f => f.Contains("op 'LpPool' has no channel rule (at node 'lp')", StringComparison.Ordinal));
        Assert.Contains(s.Frozen, f => f.Contains("op 'com.microsoft.Gelu' has no channel rule (at node 'gelu')", StringComparison.Ordinal));
        Assert.Contains(s.Genes, g => g.Name == "conv3"); // conv3's outputs only meet pooling and the classifier
    }

    [Fact]
    public void Compute_PrunedModel_ReusesTheMeasurementWithoutAnotherRun()
    {
        var oracle = new CountingOracle();
        var model = OnnxModel.FromProto(Build()).WithShapeOptions(new ShapeOptions(null, oracle));
        var s = PrunableStructure.Analyze(model);
        int afterAnalysis = oracle.Calls;

        var pruned = Surgery.Apply(s, ChannelSelection.Select(s, Genome.Uniform(s.Genes, 0.5), SelectionMethod.L1, 0));
        long macs = ModelCost.Compute(pruned).Macs;

        Assert.Equal(1, afterAnalysis);
        Assert.True(oracle.Calls <= 2, $"{oracle.Calls} oracle runs"); // the batch-1 pass may measure once; the pruned model never
        int before = oracle.Calls;
        Assert.Equal(macs, ModelCost.Compute(Surgery.Apply(s, ChannelSelection.Select(s, Genome.Uniform(s.Genes, 0.5), SelectionMethod.L1, 0))).Macs);
        Assert.Equal(before, oracle.Calls);
    }

    [Fact]
    public void Compute_NoOracle_FailsNamingTheOpWithoutRule()
    {
        var model = OnnxModel.FromProto(Build(), "m.onnx");

        var e = Assert.Throws<ModelFormatException>(() => ModelCost.Compute(model));

        Assert.Contains("op 'LpPool' (node 'lp') has no shape rule", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("m.onnx: node 'conv2'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_OpsWithoutRule_SucceedsAndPrintsTheFrozenReason()
    {
        var path = _h.PathOf("ruleless.onnx");
        File.WriteAllBytes(path, Build().ToByteArray());

        var (code, stdout, stderr) = CliRun.Run("inspect", path);

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Contains("op 'com.microsoft.Gelu' has no channel rule (at node 'gelu')", stdout, StringComparison.Ordinal);
        Assert.Contains("prunable ", stdout, StringComparison.Ordinal);
    }

    /// <summary>x → conv1 → LpPool → conv2 → com.microsoft.Gelu → conv3 → GlobalAveragePool → Flatten → Gemm.</summary>
    private static ModelProto Build()
    {
        var b = new GraphBuilder("ruleless", opset: 17);
        b.ExtraOpsets["com.microsoft"] = 1;
        var x = b.Input("x", ElemType.Float, "batch", 3, 16, 16);
        var y = b.Node("Conv", [x, W(b, "w1", 8, 3, 3, 3), W(b, "b1", 8)], [Attrs.Ints("pads", 1, 1, 1, 1)], name: "conv1", output: "c1");
        y = b.Node("LpPool", [y], [Attrs.Ints("kernel_shape", 2, 2), Attrs.Ints("strides", 2, 2)], name: "lp", output: "lp_out");
        y = b.Node("Conv", [y, W(b, "w2", 8, 8, 1, 1)], name: "conv2", output: "c2");
        y = b.Node("Gelu", [y], name: "gelu", output: "gelu_out", domain: "com.microsoft");
        y = b.Node("Conv", [y, W(b, "w3", 6, 8, 3, 3)], name: "conv3", output: "c3");
        y = b.Node("Flatten", [b.Node("GlobalAveragePool", [y], name: "gap")], name: "flat");
        y = b.Node("Gemm", [y, W(b, "w4", 10, 6)], [Attrs.Int("transB", 1)], name: "fc", output: "logits");
        b.Output(y, ElemType.Float, "batch", 10);
        return b.Build();
    }

    private static string W(GraphBuilder b, string name, params long[] dims)
    {
        var rng = new Random(name.Length * 7 + (int)dims[0]);
        var data = new float[dims.Aggregate(1L, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle() - 0.5f;
        return b.Initializer(name, dims, data);
    }

    /// <summary>Every node output's shape as ONNX Runtime computes it, independently of the oracle under test.</summary>
    private static Dictionary<string, long[]> OrtShapes(ModelProto model, long[] shape)
    {
        var m = model.Clone();
        var declared = m.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var o in m.Graph.Node.SelectMany(n => n.Output))
            if (declared.Add(o)) m.Graph.Output.Add(GraphBuilder.MakeValueInfo(o, ElemType.Float));
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(m.ToByteArray(), options);
        var rng = new Random(5);
        var data = new float[shape.Aggregate(1L, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle() - 0.5f;
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        var names = session.OutputNames.ToArray();
        using var results = session.Run(new RunOptions(), ["x"], [input], names);
        return names.Select((n, i) => (n, results[i].GetTensorTypeAndShape().Shape)).ToDictionary(p => p.n, p => p.Shape);
    }

    private sealed class CountingOracle : IShapeOracle
    {
        public int Calls { get; private set; }

        public IReadOnlyList<IReadOnlyDictionary<string, MeasuredTensor>> Measure(
            ModelProto model, IReadOnlyList<IReadOnlyDictionary<string, long[]>> runs, IReadOnlyCollection<string> tensors)
        {
            Calls++;
            return OrtShapeOracle.Instance.Measure(model, runs, tensors);
        }
    }
}
