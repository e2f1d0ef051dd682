using FastPrune.Graph.Onnx;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Shapes;

/// <summary>
/// ShapeInference against ONNX Runtime on every intermediate tensor: each node output is made a graph
/// output, ORT reports the shapes it computed, and ours must agree both when the batch is bound up front and
/// when it stays symbolic (so shape chains are understood as multiples of <c>batch</c>, not skipped).
/// </summary>
public sealed class ShapeInferenceOrtTests
{
    private const int Batch = 3;

    public static IEnumerable<object[]> ZooVariants() =>
    [
        ["legacy_cnn", 9, true],
        ["vit_toy", 11, false], ["vit_toy", 13, false], ["vit_toy", 17, false], ["vit_toy", 13, true],
        ["vit_toy_sepqkv", 11, false], ["vit_toy_sepqkv", 13, false], ["vit_toy_sepqkv", 17, true],
        ["mobilenetv1", 13, false], ["resnet50", 11, false],
        ["deit_tiny", 13, false], // decomposed LayerNorm and Shape→Gather→Unsqueeze→Concat→Reshape chains
    ];

    public static IEnumerable<object[]> Samples() => Repo.SampleModels();

    [Theory]
    [MemberData(nameof(ZooVariants))]
    public void Run_ZooModel_EveryTensorMatchesOrt(string name, int opset, bool isStatic) =>
        AssertMatchesOrt(ZooCache.Get(name, opset, isStatic));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Run_Sample_EveryTensorMatchesOrt(string sample) =>
        AssertMatchesOrt(OnnxModel.Load(Repo.Sample(sample)).Proto);

    private static void AssertMatchesOrt(ModelProto model)
    {
        var index = new GraphIndex(model.Graph);
        long opset = OnnxModel.FromProto(model).Opset;
        var input = index.Inputs.Values.First();
        var dims = input.Type.TensorType.Shape.Dim;
        var bindings = new Dictionary<string, long>();
        var shape = new long[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
            {
                bindings[dims[i].DimParam] = Batch;
                shape[i] = Batch;
            }
            else shape[i] = dims[i].DimValue;
        }
        var bound = ShapeInference.Run(index, opset, bindings);
        var symbolic = ShapeInference.Run(index, opset);

        var ort = OrtAll.IntermediateShapes(model, bound, Ort.RandomInput(shape, 31), shape);

        int nodeOutputs = model.Graph.Node.Sum(n => n.Output.Count(o => o.Length > 0));
        Assert.Equal(nodeOutputs, ort.Count);
        foreach (var (tensor, actual) in ort)
        {
            var ours = bound[tensor];
            Assert.True(ours.IsStatic, $"'{tensor}': inferred [{ours.ShapeText}] with the batch bound, ORT gives [{string.Join(",", actual)}]");
            Assert.True(actual.SequenceEqual(ours.StaticShape()), $"'{tensor}': inferred [{ours.ShapeText}], ORT gives [{string.Join(",", actual)}]");
            var sym = symbolic[tensor].Shape;
            Assert.NotNull(sym);
            var resolved = sym!.Select(d => d.Bind(bindings)).ToArray();
            Assert.True(resolved.All(d => d.IsKnown) && actual.SequenceEqual(resolved.Select(d => d.Value)),
                $"'{tensor}': symbolic [{symbolic[tensor].ShapeText}] does not resolve to ORT's [{string.Join(",", actual)}]");
        }
        if (bindings.Count > 0)
            Assert.Contains(symbolic.Values, t => t.Shape is { } s && s.Any(d => d.IsSymbolic));
    }
}
