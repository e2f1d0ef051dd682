using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// ConvTranspose reconstruction (FPN / U-Net upsampling) against a float64 least-squares solve written from the op's
/// definition, not from the conv it equals: conv1 (3→8, 3×3) → relu → ConvTranspose (8→5, 3×3, stride 2, pads 1,
/// output_padding 1: 8×8 → 16×16) → pool, every output position sampled. Pruning conv1's width to 4 leaves the
/// ConvTranspose with 4 of its 8 inputs; its rows are (ci, ky, kx) with x[ci, iy, ix] where oy = 2·iy − 1 + ky.
/// </summary>
public sealed class ConvTransposeReconstructionTests : IDisposable
{
    private const int Cin = 3, Hidden = 8, Cout = 5, Size = ToyNet.Size, Out = 2 * Size, Images = 96;
    private const int Calib = 48, Eval = 32, Seed = 5, Kept = 4;
    private const double Alpha = 0.1, Bound = 1e-4;

    private readonly TempDir _dir = new();
    private readonly string _model, _data;
    private readonly double[] _paper, _exact;

    public ConvTransposeReconstructionTests()
    {
        var rng = new Random(23);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var (w1, b1, wt, bt) = (Rand(Hidden * Cin * 9, 0.4), Rand(Hidden, 0.2), Rand(Hidden * Cout * 9, 0.4), Rand(Cout, 0.2));
        var data = Rand(Images * Cin * Size * Size, 1.0);
        var b = new GraphBuilder("upsample");
        string x = b.Input("input", ElemType.Float, "batch", Cin, Size, Size);
        string h = b.Node("Relu", [b.Node("Conv", [x, b.Initializer("w1", [Hidden, Cin, 3, 3], w1), b.Initializer("b1", [Hidden], b1)],
            [Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("kernel_shape", 3, 3)], name: "/conv1/Conv")], name: "/r1");
        string u = b.Node("ConvTranspose", [h, b.Initializer("wt", [Hidden, Cout, 3, 3], wt), b.Initializer("bt", [Cout], bt)],
            [Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("strides", 2, 2), Attrs.Ints("output_padding", 1, 1), Attrs.Ints("kernel_shape", 3, 3)], name: "/up/ConvTranspose");
        string f = b.Node("Flatten", [b.Node("GlobalAveragePool", [u], name: "/pool")], [Attrs.Int("axis", 1)], name: "/flatten", output: "logits");
        b.Output(f, ElemType.Float, "batch", Cout);
        _model = Path.Combine(_dir.Path, "upsample.onnx");
        OnnxModel.FromProto(b.Build()).Save(_model);
        _data = Path.Combine(_dir.Path, "upsample.npy");
        NpyFile.Write(_data, data, [Images, Cin, Size, Size]);

        using var probe = CalibratedModel.Open(Options(ReconMode.Paper));
        var kept = Sessions.Slices(probe, [Kept]).Kept("w1", 0)!.Select(v => (int)v).ToArray();
        var split = DataSplit.Create(Images, Calib, Eval, Seed);
        int n = split.Calibration.Length, len = Cin * Size * Size, rows = n * Out * Out;
        var x64 = split.Calibration.SelectMany(i => data.AsSpan(i * len, len).ToArray()).Select(v => (double)v).ToArray();
        var y1 = ToyNet.Conv(x64, n, Cin, D(w1), D(b1), Hidden);
        var target = Rows(Transposed(ToyNet.Relu(y1), n, Hidden, D(wt), D(bt), Cout), n, Cout, Enumerable.Range(0, Cout).ToArray());

        // paper: the original network's kept channels; exact: conv1 re-solved first, then the pruned network's channels
        _paper = Ridge.Solve(TransposedRows(Keep(ToyNet.Relu(y1), n, Hidden, kept), n, Kept), target, rows, Kept * 9, Cout, Alpha);
        var w1s = Ridge.Solve(ToyNet.Patches(x64, n, Cin), ToyNet.PixelRows(y1, n, Hidden, kept), n * Size * Size, Cin * 9, Kept, Alpha);
        var (rw1, rb1) = ToyNet.Unpack(w1s, Cin, Kept);
        _exact = Ridge.Solve(TransposedRows(ToyNet.Relu(ToyNet.Conv(x64, n, Cin, rw1, rb1, Kept)), n, Kept), target, rows, Kept * 9, Cout, Alpha);
        Assert.True(Ridge.RelativeError(_paper, _exact) > 100 * Bound, "the test cannot tell paper from exact");
    }

    [Fact]
    public void Analyze_UngroupedConvTranspose_IsALayer() =>
        Assert.Equal(["/conv1/Conv", "/up/ConvTranspose"], PrunableStructure.Analyze(OnnxModel.Load(_model)).Layers.Select(l => l.Name));

    [Theory]
    [InlineData(ReconMode.Paper)]
    [InlineData(ReconMode.Exact)]
    public void Evaluate_PrunedInputs_ConvTransposeEqualsFloat64Solve(ReconMode mode)
    {
        using var session = CalibratedModel.Open(Options(mode));
        var model = session.Evaluate([Kept], mode, keepModel: true).Model!.Proto;

        var index = new GraphIndex(model.Graph);
        var wt = TensorData.Floats(index.Initializer("wt")!).ToArray();
        var bt = TensorData.Floats(index.Initializer("bt")!).ToArray();
        Assert.Equal([Kept, Cout, 3, 3], index.Initializer("wt")!.Dims);
        // the ONNX weight [ci][co][ky][kx] as rows (ci, ky, kx) × co, bias last
        var w = new double[(Kept * 9 + 1) * Cout];
        for (int ci = 0; ci < Kept; ci++)
            for (int co = 0; co < Cout; co++)
                for (int k = 0; k < 9; k++)
                    w[(ci * 9 + k) * Cout + co] = wt[(ci * Cout + co) * 9 + k];
        for (int co = 0; co < Cout; co++) w[Kept * 9 * Cout + co] = bt[co];
        var expected = mode == ReconMode.Paper ? _paper : _exact;
        Assert.True(Ridge.RelativeError(w, expected) <= Bound, $"{mode}: {Ridge.RelativeError(w, expected):E2}");
    }

    private PruneOptions Options(ReconMode mode) => new()
    {
        ModelPath = _model,
        DataPath = _data,
        Calib = Calib,
        Eval = Eval,
        Seed = Seed,
        Recon = mode,
        Alpha = Alpha,
        Device = ComputeDevice.Cpu,
        Threads = 1,
        BatchSize = 16,
        PatchesPerImage = Out * Out,
    };

    private static double[] D(float[] v) => Array.ConvertAll(v, e => (double)e);

    /// <summary>The input position a tap reads for an output position (stride 2, pad 1), or -1.</summary>
    private static int Source(int o, int k) => (o + 1 - k) % 2 == 0 && (o + 1 - k) / 2 is var i and >= 0 and < Size ? i : -1;

    /// <summary>ConvTranspose by definition: x (n, cin, 8, 8), w [cin][cout][3][3] → (n, cout, 16, 16).</summary>
    private static double[] Transposed(double[] x, int n, int cin, double[] w, double[] bias, int cout)
    {
        var y = new double[n * cout * Out * Out];
        for (int b = 0; b < n; b++)
            for (int co = 0; co < cout; co++)
                for (int oy = 0; oy < Out; oy++)
                    for (int ox = 0; ox < Out; ox++)
                    {
                        double s = bias[co];
                        for (int ci = 0; ci < cin; ci++)
                            for (int ky = 0; ky < 3; ky++)
                                for (int kx = 0; kx < 3; kx++)
                                    if (Source(oy, ky) is var iy and >= 0 && Source(ox, kx) is var ix and >= 0)
                                        s += x[((b * cin + ci) * Size + iy) * Size + ix] * w[((ci * cout + co) * 3 + ky) * 3 + kx];
                        y[((b * cout + co) * Out + oy) * Out + ox] = s;
                    }
        return y;
    }

    /// <summary>Rows (n·16·16) × (cin·9), columns (ci, ky, kx): what each output position reads.</summary>
    private static double[] TransposedRows(double[] x, int n, int cin)
    {
        var rows = new double[n * Out * Out * cin * 9];
        for (int b = 0; b < n; b++)
            for (int pos = 0; pos < Out * Out; pos++)
                for (int ci = 0; ci < cin; ci++)
                    for (int k = 0; k < 9; k++)
                        if (Source(pos / Out, k / 3) is var iy and >= 0 && Source(pos % Out, k % 3) is var ix and >= 0)
                            rows[((b * Out * Out + pos) * cin + ci) * 9 + k] = x[((b * cin + ci) * Size + iy) * Size + ix];
        return rows;
    }

    /// <summary>(n, c, 16, 16) → rows (n·256) × |channels|.</summary>
    private static double[] Rows(double[] y, int n, int c, int[] channels)
    {
        var rows = new double[n * Out * Out * channels.Length];
        for (int b = 0; b < n; b++)
            for (int pos = 0; pos < Out * Out; pos++)
                for (int j = 0; j < channels.Length; j++)
                    rows[(b * Out * Out + pos) * channels.Length + j] = y[(b * c + channels[j]) * Out * Out + pos];
        return rows;
    }

    /// <summary>The kept channels of an NCHW (n, c, 8, 8) tensor.</summary>
    private static double[] Keep(double[] x, int n, int c, int[] channels)
    {
        int plane = Size * Size;
        var r = new double[n * channels.Length * plane];
        for (int b = 0; b < n; b++)
            for (int j = 0; j < channels.Length; j++)
                Array.Copy(x, (b * c + channels[j]) * plane, r, (b * channels.Length + j) * plane, plane);
        return r;
    }

    public void Dispose() => _dir.Dispose();
}
