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
/// Per-group least squares of a grouped conv (ResNeXt/RegNet) against a float64 layer-by-layer solve:
/// conv1 (3→8) → relu → grouped conv2 (8→8, 4 groups of 2) → relu → conv3 (8→6) → pool, on 3×8×8 images, every position
/// sampled. Pruning keeps 2 of the 4 groups; exact reconstruction re-solves conv1 from the images, then each kept group of
/// conv2 alone from its own two input channels of the pruned network (after conv1's solve) against its original outputs,
/// then conv3 from the pruned network's inputs. A heavy ridge makes each solve visibly differ from the sliced weights.
/// </summary>
public sealed class GroupedReconstructionTests : IDisposable
{
    private const int Cin = 3, Hidden = 8, Groups = 4, PerGroup = Hidden / Groups, Cout = 6, Size = ToyNet.Size, Images = 96;
    private const int Calib = 64, Eval = 32, Seed = 7, KeptGroups = 2;
    private const double Alpha = 0.1, Bound = 1e-4;

    private readonly TempDir _dir = new();
    private readonly string _model, _data;
    private readonly double[] _w1, _w2, _b2, _w3, _data64;

    public GroupedReconstructionTests()
    {
        var rng = new Random(19);
        float[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var (w1, b1, w2, b2, w3, b3) = (Rand(Hidden * Cin * 9, 0.4), Rand(Hidden, 0.2), Rand(Hidden * PerGroup * 9, 0.5), Rand(Hidden, 0.2),
            Rand(Cout * Hidden * 9, 0.3), Rand(Cout, 0.2));
        var data = Rand(Images * Cin * Size * Size, 1.0);
        var b = new GraphBuilder("grouped");
        string x = b.Input("input", ElemType.Float, "batch", Cin, Size, Size);
        var attrs = new[] { Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("kernel_shape", 3, 3) };
        string h = b.Node("Relu", [b.Node("Conv", [x, b.Initializer("w1", [Hidden, Cin, 3, 3], w1), b.Initializer("b1", [Hidden], b1)], attrs, name: "/conv1/Conv")], name: "/r1");
        string g = b.Node("Relu", [b.Node("Conv", [h, b.Initializer("w2", [Hidden, PerGroup, 3, 3], w2), b.Initializer("b2", [Hidden], b2)],
            [.. attrs, Attrs.Int("group", Groups)], name: "/conv2/Conv")], name: "/r2");
        string y = b.Node("Conv", [g, b.Initializer("w3", [Cout, Hidden, 3, 3], w3), b.Initializer("b3", [Cout], b3)], attrs, name: "/conv3/Conv");
        string f = b.Node("Flatten", [b.Node("GlobalAveragePool", [y], name: "/pool")], [Attrs.Int("axis", 1)], name: "/flatten", output: "logits");
        b.Output(f, ElemType.Float, "batch", Cout);
        _model = Path.Combine(_dir.Path, "grouped.onnx");
        OnnxModel.FromProto(b.Build()).Save(_model);
        _data = Path.Combine(_dir.Path, "grouped.npy");
        NpyFile.Write(_data, data, [Images, Cin, Size, Size]);
        (_w2, _b2) = (D(w2), D(b2));

        using var probe = CalibratedModel.Open(Options());
        var kept = Sessions.Slices(probe, [KeptGroups]).Kept("w1", 0)!.Select(v => (int)v).ToArray();
        Assert.Equal(KeptGroups * PerGroup, kept.Length);
        var keptGroups = kept.Where((_, i) => i % PerGroup == 0).Select(c => c / PerGroup).ToArray();

        var split = DataSplit.Create(Images, Calib, Eval, Seed);
        int n = split.Calibration.Length, len = Cin * Size * Size, rows = n * Size * Size;
        _data64 = split.Calibration.SelectMany(i => data.AsSpan(i * len, len).ToArray()).Select(v => (double)v).ToArray();
        var y1 = ToyNet.Conv(_data64, n, Cin, D(w1), D(b1), Hidden);
        var y2 = GroupedConv(ToyNet.Relu(y1), n, Hidden, _w2, _b2, Groups);
        var y3 = ToyNet.Conv(ToyNet.Relu(y2), n, Hidden, D(w3), D(b3), Cout);

        _w1 = Ridge.Solve(ToyNet.Patches(_data64, n, Cin), ToyNet.PixelRows(y1, n, Hidden, kept), rows, Cin * 9, kept.Length, Alpha);
        var (rw1, rb1) = ToyNet.Unpack(_w1, Cin, kept.Length);
        var hidden = ToyNet.Relu(ToyNet.Conv(_data64, n, Cin, rw1, rb1, kept.Length));
        // conv2: one problem per kept group, over that group's input channels of the pruned network
        _w2 = new double[KeptGroups * PerGroup * PerGroup * 9];
        _b2 = new double[KeptGroups * PerGroup];
        for (int j = 0; j < KeptGroups; j++)
        {
            var outs = Enumerable.Range(keptGroups[j] * PerGroup, PerGroup).ToArray();
            var wj = Ridge.Solve(ToyNet.Patches(Channels(hidden, n, kept.Length, j * PerGroup, PerGroup), n, PerGroup),
                ToyNet.PixelRows(y2, n, Hidden, outs), rows, PerGroup * 9, PerGroup, Alpha);
            var (weight, bias) = ToyNet.Unpack(wj, PerGroup, PerGroup);
            weight.CopyTo(_w2, j * weight.Length);
            bias.CopyTo(_b2, j * PerGroup);
        }
        var inner = ToyNet.Relu(GroupedConv(hidden, n, kept.Length, _w2, _b2, KeptGroups));
        _w3 = Ridge.Solve(ToyNet.Patches(inner, n, kept.Length), ToyNet.PixelRows(y3, n, Cout, Enumerable.Range(0, Cout).ToArray()),
            rows, kept.Length * 9, Cout, Alpha);
    }

    [Fact]
    public void Analyze_GroupedConv_IsPlannedWithItsGroups()
    {
        using var session = CalibratedModel.Open(Options());
        Assert.Equal([new Gene("/conv1/Conv", GeneKind.Groups, 1, Groups, 1)], session.Structure.Genes);
        Assert.Equal(["/conv1/Conv", "/conv2/Conv", "/conv3/Conv"], session.Structure.Layers.Select(l => l.Name));
    }

    [Theory]
    [InlineData(ReconMode.Exact)]
    [InlineData(ReconMode.Corrective)] // one stage per layer: the same solves
    public void Evaluate_KeptGroups_EachGroupSolvedAloneFromThePrunedNetworksInputs(ReconMode mode)
    {
        using var session = CalibratedModel.Open(Options(mode == ReconMode.Corrective ? 3 : 2));
        var layers = session.Structure.Layers;
        var sliced = session.Evaluate([KeptGroups], ReconMode.None, keepModel: true).Model!.Proto;
        var r = session.Evaluate([KeptGroups], mode, keepModel: true);

        var w1 = OrtProbe.LayerW(r.Model!.Proto, layers[0], out _, out _);
        Assert.True(Ridge.RelativeError(w1, _w1) <= Bound, $"conv1: {Ridge.RelativeError(w1, _w1):E2}");
        var conv2 = new GraphIndex(r.Model.Proto.Graph).Initializer("w2")!;
        Assert.Equal([KeptGroups * PerGroup, PerGroup, 3, 3], conv2.Dims);
        var (w2, b2) = (TensorData.Floats(conv2).ToArray().Select(v => (double)v).ToArray(),
            TensorData.Floats(new GraphIndex(r.Model.Proto.Graph).Initializer("b2")!).ToArray().Select(v => (double)v).ToArray());
        Assert.True(Ridge.RelativeError([.. w2, .. b2], [.. _w2, .. _b2]) <= Bound, $"conv2: {Ridge.RelativeError([.. w2, .. b2], [.. _w2, .. _b2]):E2}");
        var w2Sliced = TensorData.Floats(new GraphIndex(sliced.Graph).Initializer("w2")!).ToArray().Select(v => (double)v).ToArray();
        Assert.True(Ridge.RelativeError(w2, w2Sliced) > 100 * Bound, "conv2 was left as sliced");
        var w3 = OrtProbe.LayerW(r.Model.Proto, layers[2], out _, out _);
        Assert.True(Ridge.RelativeError(w3, _w3) <= Bound, $"conv3: {Ridge.RelativeError(w3, _w3):E2}");
    }

    [Fact]
    public void Evaluate_PaperMode_LeavesKeptGroupsAsSliced()
    {
        // the paper solves from the original network's features, where a kept group's inputs are all there: its sliced weight
        using var session = CalibratedModel.Open(Options() with { Recon = ReconMode.Paper });
        var none = session.Evaluate([KeptGroups], ReconMode.None, keepModel: true).Model!.Proto;
        var paper = session.Evaluate([KeptGroups], ReconMode.Paper, keepModel: true).Model!.Proto;

        Assert.Equal(TensorData.Floats(new GraphIndex(none.Graph).Initializer("w2")!).ToArray(), TensorData.Floats(new GraphIndex(paper.Graph).Initializer("w2")!).ToArray());
    }

    private PruneOptions Options(int passes = 2) => new()
    {
        ModelPath = _model,
        DataPath = _data,
        Calib = Calib,
        Eval = Eval,
        Seed = Seed,
        Recon = ReconMode.Exact,
        CorrectivePasses = passes,
        Alpha = Alpha,
        Device = ComputeDevice.Cpu,
        Threads = 1,
        BatchSize = 32,
        PatchesPerImage = Size * Size,
    };

    private static double[] D(float[] v) => Array.ConvertAll(v, e => (double)e);

    /// <summary>Channels [from, from+count) of an NCHW (n, c, 8, 8) tensor.</summary>
    private static double[] Channels(double[] x, int n, int c, int from, int count)
    {
        int plane = Size * Size;
        var r = new double[n * count * plane];
        for (int b = 0; b < n; b++)
            Array.Copy(x, (b * c + from) * plane, r, b * count * plane, count * plane);
        return r;
    }

    /// <summary>A 3×3, pad 1 grouped conv in float64: each group a dense conv over its own channels (w: [c, c/groups, 3, 3]).</summary>
    private static double[] GroupedConv(double[] x, int n, int c, double[] w, double[] bias, int groups)
    {
        int per = c / groups, plane = Size * Size;
        var y = new double[n * c * plane];
        for (int j = 0; j < groups; j++)
        {
            var yj = ToyNet.Conv(Channels(x, n, c, j * per, per), n, per, w.AsSpan(j * per * per * 9, per * per * 9).ToArray(), bias.AsSpan(j * per, per).ToArray(), per);
            for (int b = 0; b < n; b++)
                Array.Copy(yj, b * per * plane, y, (b * c + j * per) * plane, per * plane);
        }
        return y;
    }

    public void Dispose() => _dir.Dispose();
}
