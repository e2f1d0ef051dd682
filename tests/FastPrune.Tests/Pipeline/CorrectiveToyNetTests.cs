using FastPrune.Data;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Corrective and exact reconstruction on a two-layer toy net against a hand-computed float64
/// layer-by-layer solve: prune the hidden width; layer 1 is re-solved from the image against its
/// original (kept) outputs; layer 2 from the pruned network's own layer-2 inputs, i.e. after layer
/// 1's reconstruction, against the ORIGINAL layer-2 outputs. A heavy ridge (α = 0.1) makes layer 1's
/// reconstruction visibly differ from its sliced original, so the layer-by-layer answer for layer 2
/// is far from the paper answer (solved from the original network's features) and the comparison
/// tells the two apart.
/// </summary>
public sealed class CorrectiveToyNetTests : IDisposable
{
    private const double Alpha = 0.1;
    // Random toy data is well conditioned (κ asserted below 1e3): float32 against float64 agrees to
    // ~κ·1e-7 ≤ 1e-4, while exact and paper answers for layer 2 differ by ≥ 1e-2.
    private const double Bound = 1e-4;
    private const int Calib = 64, Eval = 32, Seed = 7, Kept = 4;

    private readonly TempDir _dir = new();
    private readonly ToyNet _net;
    private readonly double[] _w1, _w2Exact, _w2Paper;

    public CorrectiveToyNetTests()
    {
        _net = ToyNet.Create(_dir.Path, seed: 11);
        using var probe = Open(passes: 2);
        var genome = new[] { Kept };
        var kept = Sessions.Slices(probe, genome).Kept("w1", 0)!.Select(v => (int)v).ToArray();
        Assert.Equal(Kept, kept.Length);

        var split = DataSplit.Create(ToyNet.Images, Calib, Eval, Seed);
        int n = split.Calibration.Length, len = ToyNet.Cin * ToyNet.Size * ToyNet.Size;
        var x = split.Calibration.SelectMany(i => _net.Data.AsSpan(i * len, len).ToArray()).Select(v => (double)v).ToArray();
        var w1 = Array.ConvertAll(_net.W1, v => (double)v);
        var w2 = Array.ConvertAll(_net.W2, v => (double)v);
        var y1 = ToyNet.Conv(x, n, ToyNet.Cin, w1, Array.ConvertAll(_net.B1, v => (double)v), ToyNet.Hidden);
        var y2 = ToyNet.Conv(ToyNet.Relu(y1), n, ToyNet.Hidden, w2, Array.ConvertAll(_net.B2, v => (double)v), ToyNet.Cout);
        int rows = n * ToyNet.Size * ToyNet.Size;
        var allOut = Enumerable.Range(0, ToyNet.Cout).ToArray();
        var target2 = ToyNet.PixelRows(y2, n, ToyNet.Cout, allOut);

        // Layer 1: image patches → the kept channels of the original layer-1 output.
        var x1 = ToyNet.Patches(x, n, ToyNet.Cin);
        _w1 = Ridge.Solve(x1, ToyNet.PixelRows(y1, n, ToyNet.Hidden, kept), rows, ToyNet.Cin * 9, Kept, Alpha);
        var (g1, _, size1) = Ridge.Normal(x1, new double[rows], rows, ToyNet.Cin * 9, 1);
        Assert.True(Ridge.Condition(g1, size1, Alpha) < 1e3);

        // Layer 2, layer by layer: inputs of the pruned network after layer 1's reconstruction.
        var (rw1, rb1) = ToyNet.Unpack(_w1, ToyNet.Cin, Kept);
        var hidden = ToyNet.Relu(ToyNet.Conv(x, n, ToyNet.Cin, rw1, rb1, Kept));
        var x2 = ToyNet.Patches(hidden, n, Kept);
        _w2Exact = Ridge.Solve(x2, target2, rows, Kept * 9, ToyNet.Cout, Alpha);
        var (g2, _, size2) = Ridge.Normal(x2, new double[rows], rows, Kept * 9, 1);
        Assert.True(Ridge.Condition(g2, size2, Alpha) < 1e3);

        // Layer 2, paper: the original network's kept hidden channels.
        var original = ToyNet.PixelRows(ToyNet.Relu(y1), n, ToyNet.Hidden, kept);
        var nchw = new double[n * Kept * ToyNet.Size * ToyNet.Size];
        for (int b = 0; b < n; b++)
            for (int pos = 0; pos < ToyNet.Size * ToyNet.Size; pos++)
                for (int c = 0; c < Kept; c++)
                    nchw[(b * Kept + c) * ToyNet.Size * ToyNet.Size + pos] = original[(b * ToyNet.Size * ToyNet.Size + pos) * Kept + c];
        _w2Paper = Ridge.Solve(ToyNet.Patches(nchw, n, Kept), target2, rows, Kept * 9, ToyNet.Cout, Alpha);
        Assert.True(Ridge.RelativeError(_w2Paper, _w2Exact) > 100 * Bound, "the toy net does not tell exact from paper reconstruction");
    }

    [Fact]
    public void Evaluate_Exact_MatchesHandComputedLayerByLayerSolve()
    {
        using var session = Open(passes: 2);
        var (w1, w2) = Solved(session, ReconMode.Exact);
        Assert.True(Ridge.RelativeError(w1, _w1) <= Bound, $"layer 1: {Ridge.RelativeError(w1, _w1):E2}");
        Assert.True(Ridge.RelativeError(w2, _w2Exact) <= Bound, $"layer 2: {Ridge.RelativeError(w2, _w2Exact):E2}");
    }

    [Fact]
    public void Evaluate_Paper_SolvesLayerTwoFromTheOriginalFeaturesAndLeavesLayerOneSliced()
    {
        using var session = Open(passes: 2);
        var (w1, w2) = Solved(session, ReconMode.Paper);
        var none = session.Evaluate([Kept], ReconMode.None, keepModel: true);
        var sliced = OrtProbe.LayerW(none.Model!.Proto, session.Structure.Layers[0], out _, out _);
        Assert.True(Ridge.RelativeError(w2, _w2Paper) <= Bound, $"layer 2: {Ridge.RelativeError(w2, _w2Paper):E2}");
        Assert.Equal(sliced, w1);
        Assert.True(Ridge.RelativeError(w1, _w1) > 100 * Bound, "the ridge did not move layer 1: the test cannot tell sliced from solved");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Evaluate_CorrectiveWithEnoughPasses_ConvergesToTheLayerByLayerSolve(int passes)
    {
        using var session = Open(passes);
        var (w1, w2) = Solved(session, ReconMode.Corrective);
        Assert.True(Ridge.RelativeError(w1, _w1) <= Bound, $"layer 1: {Ridge.RelativeError(w1, _w1):E2}");
        Assert.True(Ridge.RelativeError(w2, _w2Exact) <= Bound, $"layer 2 after {passes} passes: {Ridge.RelativeError(w2, _w2Exact):E2}");
    }

    [Fact]
    public void Evaluate_CorrectiveOnePass_SolvesLayerTwoFromThePaperNetwork()
    {
        // One pass solves both layers at once from the paper-reconstructed network, where layer 1 is
        // still the sliced original: layer 2 gets the paper answer, not yet the layer-by-layer one.
        using var session = Open(passes: 1);
        var (w1, w2) = Solved(session, ReconMode.Corrective);
        Assert.True(Ridge.RelativeError(w1, _w1) <= Bound);
        Assert.True(Ridge.RelativeError(w2, _w2Paper) <= Bound, $"layer 2: {Ridge.RelativeError(w2, _w2Paper):E2}");
    }

    [Theory]
    [InlineData(ReconMode.Paper, ReconMode.Corrective)]
    [InlineData(ReconMode.None, ReconMode.Exact)]
    public void Evaluate_ModeNeedingTargetsOnASessionOpenedWithout_ThrowsInvalidOperation(ReconMode opened, ReconMode asked)
    {
        // Such a session never kept the original outputs; corrective or exact would silently do paper only.
        using var session = CalibratedModel.Open(Options(passes: 2) with { Recon = opened });
        Assert.Throws<InvalidOperationException>(() => session.Evaluate([Kept], asked));
    }

    private CalibratedModel Open(int passes) => CalibratedModel.Open(Options(passes));

    private PruneOptions Options(int passes) => new()
    {
        ModelPath = _net.ModelPath,
        DataPath = _net.DataPath,
        Calib = Calib,
        Eval = Eval,
        Seed = Seed,
        Recon = ReconMode.Corrective,
        CorrectivePasses = passes,
        Alpha = Alpha,
        Device = ComputeDevice.Cpu,
        Threads = 1,
        BatchSize = 32,
        PatchesPerImage = ToyNet.Size * ToyNet.Size,
    };

    private static (double[] W1, double[] W2) Solved(CalibratedModel session, ReconMode mode)
    {
        var r = session.Evaluate([Kept], mode, keepModel: true);
        var layers = session.Structure.Layers;
        Assert.Equal(["/conv1/Conv", "/conv2/Conv"], layers.Select(l => l.Name));
        return (OrtProbe.LayerW(r.Model!.Proto, layers[0], out _, out _), OrtProbe.LayerW(r.Model!.Proto, layers[1], out _, out _));
    }

    public void Dispose() => _dir.Dispose();
}
