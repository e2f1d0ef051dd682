using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// MobileNetV1 1.0/224: a 3×3/2 stem of 32 channels, 13 depthwise-separable blocks, every conv
/// followed by a folded BatchNorm and ReLU, then GlobalAveragePool → Flatten → Gemm.
/// Module names follow the usual <c>nn.Sequential</c> layout: <c>features.i.0</c> depthwise conv,
/// <c>.2</c> its ReLU, <c>.3</c> pointwise conv, <c>.5</c> its ReLU.
/// </summary>
internal static class MobileNetV1Writer
{
    private static readonly (int Out, int Stride)[] Blocks =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ];

    public static ModelProto Write(ulong seed, ZooOptions o)
    {
        var b = new GraphBuilder("main_graph", o.Opset, "pytorch") { ProducerVersion = "2.1.0" };
        var w = new ZooWeights(b, seed, firstOnnxNumber: 173);
        DimSpec batch = o.StaticBatch ? 1 : "batch";
        string x = b.Input("input", ElemType.Float, batch, 3, 224, 224);

        x = ResNet50Writer.ConvRelu(b, w, "/features/features.0/features.0.0", "/features/features.0/features.0.2", x, 3, 32, 3, 2, 1);
        int cin = 32;
        for (int i = 0; i < Blocks.Length; i++)
        {
            string scope = $"/features/features.{i + 1}/features.{i + 1}";
            var (cout, stride) = Blocks[i];
            x = TorchOps.Relu(b, scope + ".2", ResNet50Writer.FoldedConv(b, w, scope + ".0", x, cin, cin, 3, stride, 1, 1f, group: cin));
            x = ResNet50Writer.ConvRelu(b, w, scope + ".3", scope + ".5", x, cin, cout, 1, 1, 0);
            cin = cout;
        }

        x = b.Node("GlobalAveragePool", [x], name: "/avgpool/GlobalAveragePool");
        x = b.Node("Flatten", [x], [Attrs.Int("axis", 1)], "/Flatten");
        string fcW = w.WithStd("fc.weight", [1000, cin], 1f / MathF.Sqrt(cin));
        string fcB = w.Uniform("fc.bias", [1000], 0.01f);
        x = TorchOps.Gemm(b, "/fc", x, fcW, fcB, "logits");
        b.Output(x, ElemType.Float, batch, 1000);
        return b.Build();
    }
}
