using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Building;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// conv(3→8, 3×3, pad 1, bias) → relu → conv(8→6, 3×3, pad 1, bias) → global average pool → flatten,
/// on 3×8×8 inputs, with seeded random weights and an unlabelled .npy of random images; and the same
/// network in float64 for hand-computed references. The hidden width (conv1's outputs, conv2's
/// inputs) is the one gene; conv2's outputs reach the graph output and stay.
/// </summary>
internal sealed class ToyNet
{
    public const int Cin = 3, Hidden = 8, Cout = 6, Size = 8, Images = 96;

    public required string ModelPath { get; init; }
    public required string DataPath { get; init; }
    public required float[] W1 { get; init; }
    public required float[] B1 { get; init; }
    public required float[] W2 { get; init; }
    public required float[] B2 { get; init; }
    public required float[] Data { get; init; }

    public static ToyNet Create(string dir, int seed)
    {
        var rng = new Random(seed);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var w1 = Rand(Hidden * Cin * 9, 0.4);
        var b1 = Rand(Hidden, 0.2);
        var w2 = Rand(Cout * Hidden * 9, 0.3);
        var b2 = Rand(Cout, 0.2);
        var data = Rand(Images * Cin * Size * Size, 1.0);

        var b = new GraphBuilder("toy");
        string x = b.Input("input", ElemType.Float, "batch", Cin, Size, Size);
        string iw1 = b.Initializer("w1", [Hidden, Cin, 3, 3], w1);
        string ib1 = b.Initializer("b1", [Hidden], b1);
        string iw2 = b.Initializer("w2", [Cout, Hidden, 3, 3], w2);
        string ib2 = b.Initializer("b2", [Cout], b2);
        var pads = Attrs.Ints("pads", 1, 1, 1, 1);
        string h = b.Node("Conv", [x, iw1, ib1], [pads, Attrs.Ints("kernel_shape", 3, 3)], name: "/conv1/Conv");
        string a = b.Node("Relu", [h], name: "/relu/Relu");
        string y = b.Node("Conv", [a, iw2, ib2], [pads, Attrs.Ints("kernel_shape", 3, 3)], name: "/conv2/Conv");
        string p = b.Node("GlobalAveragePool", [y], name: "/pool/GlobalAveragePool");
        string f = b.Node("Flatten", [p], [Attrs.Int("axis", 1)], name: "/flatten/Flatten", output: "logits");
        b.Output(f, ElemType.Float, "batch", Cout);
        var model = Path.Combine(dir, "toy.onnx");
        OnnxModel.FromProto(b.Build()).Save(model);
        var npy = Path.Combine(dir, "toy.npy");
        NpyFile.Write(npy, data, [Images, Cin, Size, Size]);
        return new ToyNet { ModelPath = model, DataPath = npy, W1 = w1, B1 = b1, W2 = w2, B2 = b2, Data = data };
    }

    /// <summary>3×3, pad 1, stride 1 convolution in float64: x (n, cin, 8, 8), w (cout, cin, 3, 3).</summary>
    public static double[] Conv(double[] x, int n, int cin, double[] w, double[] bias, int cout)
    {
        var y = new double[n * cout * Size * Size];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < cout; o++)
                for (int oy = 0; oy < Size; oy++)
                    for (int ox = 0; ox < Size; ox++)
                    {
                        double s = bias[o];
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                {
                                    int iy = oy + ky - 1, ix = ox + kx - 1;
                                    if ((uint)iy < Size && (uint)ix < Size)
                                        s += x[((b * cin + c) * Size + iy) * Size + ix] * w[((o * cin + c) * 3 + ky) * 3 + kx];
                                }
                        y[((b * cout + o) * Size + oy) * Size + ox] = s;
                    }
        return y;
    }

    /// <summary>Every im2col row of x: (n·64) × (cin·9), columns ordered (c, ky, kx) like a weight row.</summary>
    public static double[] Patches(double[] x, int n, int cin)
    {
        int cols = cin * 9;
        var rows = new double[n * Size * Size * cols];
        for (int b = 0; b < n; b++)
            for (int pos = 0; pos < Size * Size; pos++)
            {
                int oy = pos / Size, ox = pos % Size, r = b * Size * Size + pos;
                for (int c = 0; c < cin; c++)
                    for (int k = 0; k < 9; k++)
                    {
                        int iy = oy + k / 3 - 1, ix = ox + k % 3 - 1;
                        rows[r * cols + c * 9 + k] = (uint)iy < Size && (uint)ix < Size ? x[((b * cin + c) * Size + iy) * Size + ix] : 0;
                    }
            }
        return rows;
    }

    /// <summary>NCHW (n, c, 8, 8) → rows (n·64) × |channels|, the chosen channels of every position.</summary>
    public static double[] PixelRows(double[] y, int n, int c, IReadOnlyList<int> channels)
    {
        var rows = new double[n * Size * Size * channels.Count];
        for (int b = 0; b < n; b++)
            for (int pos = 0; pos < Size * Size; pos++)
                for (int j = 0; j < channels.Count; j++)
                    rows[(b * Size * Size + pos) * channels.Count + j] = y[(b * c + channels[j]) * Size * Size + pos];
        return rows;
    }

    /// <summary>W ((cin·9 + 1) × cout, bias last) → ONNX weight (cout, cin, 3, 3) and bias.</summary>
    public static (double[] Weight, double[] Bias) Unpack(double[] w, int cin, int cout)
    {
        int cols = cin * 9;
        var weight = new double[cout * cols];
        var bias = new double[cout];
        for (int o = 0; o < cout; o++)
        {
            for (int c = 0; c < cols; c++) weight[o * cols + c] = w[c * cout + o];
            bias[o] = w[cols * cout + o];
        }
        return (weight, bias);
    }

    public static double[] Relu(double[] v) => Array.ConvertAll(v, e => Math.Max(e, 0));
}
