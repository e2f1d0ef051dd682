using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

/// <summary>
/// Small graphs in the op patterns torch.onnx 1.13 writes for the structures of issue 10 (eval mode, BatchNorm
/// folded into the convs), built with the GraphBuilder so the tests need no Python and no committed fixture.
/// </summary>
internal static class FamilyGraphs
{
    /// <summary>
    /// A RegNetY / ResNeXt block: stem, then 1×1 → grouped 3×3 (4 groups of 4) → squeeze-and-excitation
    /// (GlobalAveragePool → Conv → Relu → Conv → Sigmoid → Mul) → 1×1, residual Add, pooled classifier.
    /// </summary>
    public static ModelProto GroupedSe(string gate = "Sigmoid")
    {
        var b = new GraphBuilder("grouped_se", opset: 13);
        var w = new ZooWeights(b, 101, 200);
        var x = b.Input("input", ElemType.Float, "batch", 3, 8, 8);
        string Conv(string scope, string input, int cout, int cin, int k, int group = 1) =>
            TorchOps.Conv(b, scope, input, w.ConvWeight($"{scope}.weight", cout, cin / group, k), w.Uniform($"{scope}.bias", [cout], 0.1f), k, 1, k / 2, group);
        var stem = TorchOps.Relu(b, "/stem", Conv("/stem", x, 16, 3, 3));
        var a = TorchOps.Relu(b, "/block/a", Conv("/block/a", stem, 16, 16, 1));
        var g = TorchOps.Relu(b, "/block/b", Conv("/block/b", a, 16, 16, 3, group: 4));
        // squeeze-and-excitation: its outer convs share the grouped conv's channel space, its width is its own
        var pooled = b.Node("GlobalAveragePool", [g], name: "/block/se/avgpool/GlobalAveragePool");
        var fc1 = TorchOps.Relu(b, "/block/se/fc1", Conv("/block/se/fc1", pooled, 4, 16, 1));
        var fc2 = Conv("/block/se/fc2", fc1, 16, 4, 1);
        var scale = b.Node(gate, [fc2], name: $"/block/se/{gate}");
        var excited = b.Node("Mul", [scale, g], name: "/block/se/Mul");
        var c = Conv("/block/c", excited, 16, 16, 1);
        var y = TorchOps.Relu(b, "/block", b.Node("Add", [c, stem], name: "/block/Add"));
        var flat = b.Node("Flatten", [b.Node("GlobalAveragePool", [y], name: "/avgpool/GlobalAveragePool")], [Attrs.Int("axis", 1)], name: "/Flatten");
        TorchOps.Gemm(b, "/fc", flat, w.Uniform("fc.weight", [10, 16], 0.25f), w.Uniform("fc.bias", [10], 0.1f), "output");
        b.Output("output", ElemType.Float, "batch", 10);
        return b.Build();
    }
}
