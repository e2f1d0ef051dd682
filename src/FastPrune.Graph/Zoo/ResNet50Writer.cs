using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Zoo;

/// <summary>
/// torchvision ResNet-50 (v1.5: stride on the 3×3 conv) as exported in eval mode, BatchNorm folded
/// into conv weight + bias (named <c>onnx::Conv_N</c>), classifier named <c>fc.weight</c>/<c>fc.bias</c>.
/// </summary>
internal static class ResNet50Writer
{
    private static readonly int[] Blocks = [3, 4, 6, 3];
    private static readonly int[] Widths = [64, 128, 256, 512];
    private const int Expansion = 4;

    public static ModelProto Write(ulong seed, ZooOptions o)
    {
        var b = new GraphBuilder("main_graph", o.Opset, "pytorch") { ProducerVersion = "2.1.0" };
        var w = new ZooWeights(b, seed, firstOnnxNumber: 321);
        DimSpec batch = o.StaticBatch ? 1 : "batch";
        string x = b.Input("input", ElemType.Float, batch, 3, 224, 224);

        x = ConvRelu(b, w, "/conv1", "/relu", x, 3, 64, 7, 2, 3);
        x = b.Node(
            "MaxPool",
            [x],
            [Attrs.Int("ceil_mode", 0), Attrs.Ints("kernel_shape", 3, 3), Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("strides", 2, 2)],
            "/maxpool/MaxPool");

        int cin = 64;
        for (int s = 0; s < Blocks.Length; s++)
        {
            for (int i = 0; i < Blocks[s]; i++)
            {
                int stride = i == 0 && s > 0 ? 2 : 1;
                x = Bottleneck(b, w, $"/layer{s + 1}/layer{s + 1}.{i}", x, cin, Widths[s], stride, downsample: i == 0);
                cin = Widths[s] * Expansion;
            }
        }

        x = b.Node("GlobalAveragePool", [x], name: "/avgpool/GlobalAveragePool");
        x = b.Node("Flatten", [x], [Attrs.Int("axis", 1)], "/Flatten");
        string fcW = w.WithStd("fc.weight", [1000, cin], 1f / MathF.Sqrt(cin));
        string fcB = w.Uniform("fc.bias", [1000], 0.01f);
        x = TorchOps.Gemm(b, "/fc", x, fcW, fcB, "logits");
        b.Output(x, ElemType.Float, batch, 1000);
        return b.Build();
    }

    private static string Bottleneck(GraphBuilder b, ZooWeights w, string scope, string x, int cin, int width, int stride, bool downsample)
    {
        // torch names each call of the one shared ReLU module relu, relu_1, relu_2.
        string y = ConvRelu(b, w, scope + "/conv1", scope + "/relu", x, cin, width, 1, 1, 0);
        y = ConvRelu(b, w, scope + "/conv2", scope + "/relu_1", y, width, width, 3, stride, 1);

        // A smaller gain on the last conv of the branch keeps the residual stream from doubling its
        // variance at every block, the job zero-init / BN γ does in a trained network.
        y = FoldedConv(b, w, scope + "/conv3", y, width, width * Expansion, 1, 1, 0, gain: 0.5f);
        string identity = downsample
            ? FoldedConv(b, w, scope + "/downsample/downsample.0", x, cin, width * Expansion, 1, stride, 0, gain: 0.5f)
            : x;
        y = b.Node("Add", [y, identity], name: TorchOps.Name(b, scope, "Add"));
        return TorchOps.Relu(b, scope + "/relu_2", y);
    }

    internal static string ConvRelu(GraphBuilder b, ZooWeights w, string convScope, string reluScope, string x, int cin, int cout, int k, int stride, int pad) =>
        TorchOps.Relu(b, reluScope, FoldedConv(b, w, convScope, x, cin, cout, k, stride, pad, 1f));

    internal static string FoldedConv(GraphBuilder b, ZooWeights w, string scope, string x, int cin, int cout, int k, int stride, int pad, float gain, int group = 1)
    {
        string weight = w.ConvWeight(w.OnnxName("Conv"), cout, cin / group, k, gain);
        string bias = w.Uniform(w.OnnxName("Conv"), [cout], 0.05f);
        return TorchOps.Conv(b, scope, x, weight, bias, k, stride, pad, group);
    }
}
