using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Shapes;

/// <summary>
/// The shape rules added for other exporters' graphs, one small hand-built graph per op (or op variant): every
/// tensor's inferred shape, with the batch bound and symbolic, equals what ONNX Runtime computes. Constants
/// the rules must evaluate (Resize scales and sizes, Pad amounts, Range bounds, TopK's k) come both as
/// initializers / Constant nodes and through shape chains.
/// </summary>
public sealed class OpRuleOrtTests
{
    private static readonly long[] X = [2, 4, 6, 10];

    private static readonly Dictionary<string, (int Opset, Action<GraphBuilder, string> Body)> Cases = new()
    {
        ["Pad_ConstantPads"] = (13, (b, x) => b.Node("Pad", [x, b.Int64Vector("pads", 0, 0, 1, 2, 0, 0, 3, 1)])),
        ["Pad_Opset18Axes"] = (18, (b, x) => b.Node("Pad", [x, b.Int64Vector("pads", 1, 2, 0, 3), "", b.Int64Vector("axes", 2, -1)])),
        ["Pad_Opset2Attribute"] = (9, (b, x) => b.Node("Pad", [x], [Attrs.Ints("pads", 0, 0, 2, 1, 0, 0, 0, 4)])),
        ["Pad_ComputedFromShapeChain"] = (13, (b, x) =>
        {
            // (7 − W mod 7) mod 7 on the right, as Swin pads a window
            var w = b.Node("Gather", [b.Node("Shape", [x]), b.ConstantScalar(3L)]);
            var pad = b.Node("Mod", [b.Node("Sub", [b.ConstantScalar(7L), b.Node("Mod", [w, b.ConstantScalar(7L)])]), b.ConstantScalar(7L)]);
            var pads = b.Node("Concat", [b.ConstantInt64([0, 0, 0, 0, 0, 0, 0]), b.Node("Unsqueeze", [pad, b.ConstantInt64([0])])], [Attrs.Int("axis", 0)]);
            b.Node("Pad", [x, pads]);
        }),
        ["Resize_Scales"] = (13, (b, x) => b.Node("Resize", [x, "", b.Initializer("scales", [4], [1f, 1f, 2f, 1.5f])], [Attrs.String("mode", "nearest")])),
        ["Resize_ScalesAsConstantNode"] = (11, (b, x) => b.Node("Resize", [x, b.Initializer("roi", [0], ReadOnlySpan<float>.Empty), b.Constant(Tensors.Float("", [4], [1f, 1f, 0.5f, 0.35f]))])),
        ["Resize_SizesFromShapeChain"] = (13, (b, x) =>
        {
            var nc = b.Node("Slice", [b.Node("Shape", [x]), b.ConstantInt64([0]), b.ConstantInt64([2])]);
            b.Node("Resize", [x, "", "", b.Node("Concat", [nc, b.ConstantInt64([9, 4])], [Attrs.Int("axis", 0)])], [Attrs.String("mode", "linear")]);
        }),
        ["Resize_Opset10"] = (10, (b, x) => b.Node("Resize", [x, b.Initializer("scales", [4], [1f, 1f, 3f, 2f])])),
        ["Upsample_Opset9"] = (9, (b, x) => b.Node("Upsample", [x, b.Initializer("scales", [4], [1f, 1f, 2f, 2f])])),
        ["ConvTranspose_StridedPaddedGrouped"] = (13, (b, x) => b.Node("ConvTranspose", [x, Weight(b, [4, 3, 3, 3])],
            [Attrs.Ints("strides", 2, 2), Attrs.Ints("pads", 1, 0, 1, 2), Attrs.Ints("output_padding", 1, 0), Attrs.Int("group", 2)])),
        ["ConvTranspose_DilatedWithBias"] = (13, (b, x) => b.Node("ConvTranspose", [x, Weight(b, [4, 5, 2, 3]), Weight(b, [5])],
            [Attrs.Ints("dilations", 2, 1), Attrs.Ints("strides", 1, 3)])),
        ["ConvTranspose_OutputShape"] = (13, (b, x) => b.Node("ConvTranspose", [x, Weight(b, [4, 2, 2, 2])],
            [Attrs.Ints("strides", 2, 2), Attrs.Ints("output_shape", 13, 21)])),
        ["ConvTranspose_SameUpper"] = (13, (b, x) => b.Node("ConvTranspose", [x, Weight(b, [4, 2, 3, 3])],
            [Attrs.Ints("strides", 2, 2), Attrs.String("auto_pad", "SAME_UPPER")])),
        ["DepthToSpace_SpaceToDepth"] = (13, (b, x) =>
            b.Node("SpaceToDepth", [b.Node("DepthToSpace", [x], [Attrs.Int("blocksize", 2), Attrs.String("mode", "CRD")])], [Attrs.Int("blocksize", 2)])),
        ["Einsum_AttentionScores"] = (13, (b, x) => b.Node("Einsum", [x, x], [Attrs.String("equation", "bhqd,bhkd->bhqk")])),
        ["Einsum_ImplicitOutputEllipsis"] = (13, (b, x) => b.Node("Einsum", [x, Weight(b, [10, 3])], [Attrs.String("equation", "...ij,jk")])),
        ["Tile"] = (13, (b, x) => b.Node("Tile", [x, b.Int64Vector("repeats", 1, 2, 1, 3)])),
        ["GatherElements"] = (13, (b, x) => b.Node("GatherElements", [x, b.Int64Initializer("idx", [1, 4, 6, 3], new long[72])], [Attrs.Int("axis", 3)])),
        ["Range_FromShapeAndFloatConstants"] = (13, (b, x) =>
        {
            var w = b.Node("Gather", [b.Node("Shape", [x]), b.ConstantScalar(3L)]);
            b.Node("Range", [b.ConstantScalar(1L), w, b.ConstantScalar(3L)]);
            b.Node("Range", [b.ConstantScalar(0.5f), b.ConstantScalar(4f), b.ConstantScalar(0.75f)]);
        }),
        ["TopK"] = (13, (b, x) => b.NodeOutputs("TopK", [x, b.Int64Vector("k", 3)], 2, [Attrs.Int("axis", 2)])),
        ["Split_SizesInputAndAttribute"] = (13, (b, x) =>
        {
            b.NodeOutputs("Split", [x, b.Int64Vector("split", 1, 5)], 2, [Attrs.Int("axis", 2)]);
            b.NodeOutputs("Split", [x], 2, [Attrs.Int("axis", -1)]);
        }),
        ["Split_Opset18NumOutputs"] = (18, (b, x) => b.NodeOutputs("Split", [x], 3, [Attrs.Int("axis", 3), Attrs.Int("num_outputs", 3)])),
        ["Activations_Normalizations"] = (18, (b, x) =>
        {
            var y = b.Node("Mish", [x]);
            y = b.Node("HardSwish", [y]);
            y = b.Node("HardSigmoid", [y]);
            y = b.Node("Erf", [y]);
            y = b.Node("CumSum", [y, b.ConstantScalar(2L)]);
            y = b.Node("InstanceNormalization", [y, Weight(b, [4]), Weight(b, [4])]);
            y = b.Node("GroupNormalization", [y, Weight(b, [2]), Weight(b, [2])], [Attrs.Int("num_groups", 2)]);
            y = b.Node("LayerNormalization", [y, Weight(b, [10]), Weight(b, [10])]);
            y = b.Node("Where", [b.Node("Greater", [y, b.ConstantScalar(0f)]), y, b.ConstantScalar(0f)]);
            b.Node("Expand", [y, b.ConstantInt64([3, 1, 1, 1, 1])]);
        }),
        ["ArgMax_Size_GridSample"] = (16, (b, x) =>
        {
            b.Node("ArgMax", [x], [Attrs.Int("axis", 1), Attrs.Int("keepdims", 0)]);
            b.Node("Size", [x]);
            b.Node("GridSample", [x, b.Initializer("grid", [2, 3, 5, 2], new float[60])]);
        }),
    };

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Run_Op_EveryTensorMatchesOrt(string name)
    {
        var (opset, body) = Cases[name];
        var b = new GraphBuilder(name, opset);
        var x = b.Input("x", ElemType.Float, "batch", X[1], X[2], X[3]);
        body(b, x);
        var model = b.Build();
        // every node output is a graph output; the first one keeps the graph valid for the validator
        model.Graph.Output.Add(new ValueInfoProto { Name = model.Graph.Node[^1].Output[0], Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        var index = new GraphIndex(model.Graph);
        var bindings = new Dictionary<string, long> { ["batch"] = X[0] };
        var bound = ShapeInference.Run(index, opset, bindings);
        var symbolic = ShapeInference.Run(index, opset);

        var ort = OrtAll.IntermediateShapes(model, bound, Ort.RandomInput(X, 3), X);

        foreach (var (tensor, actual) in ort)
        {
            var ours = bound[tensor];
            Assert.True(ours.IsStatic && actual.SequenceEqual(ours.StaticShape()), $"{name} '{tensor}': inferred [{ours.ShapeText}], ORT gives [{string.Join(",", actual)}]");
            var resolved = symbolic[tensor].Shape?.Select(d => d.Bind(bindings)).ToArray();
            Assert.True(resolved is not null && resolved.All(d => d.IsKnown) && actual.SequenceEqual(resolved.Select(d => d.Value)),
                $"{name} '{tensor}': symbolic [{symbolic[tensor].ShapeText}] does not resolve to ORT's [{string.Join(",", actual)}]");
        }
    }

    private static string Weight(GraphBuilder b, long[] dims)
    {
        var rng = new Random(dims.Length * 31 + (int)dims[0]);
        var data = new float[dims.Aggregate(1L, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle() - 0.5f;
        return b.Initializer(b.NewNumericName(), dims, data);
    }
}
