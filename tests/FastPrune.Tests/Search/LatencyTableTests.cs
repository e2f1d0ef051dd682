using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// The per-layer latency table: which layers it keys and how, its file (key, invalidation, atomic write, corruption),
/// the prediction (sum of entries through the fit) and the calibration, with a deterministic time function in place of
/// the engine (no timings in tests); the probe models are checked by running them in ONNX Runtime.
/// </summary>
public sealed class LatencyTableTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly LatencyTableKey Key = new("ort-cpu", 8, 2, "Test CPU × 2", "1.0.0", "kernel plain");

    /// <summary>x[batch,3,16,16] → Conv 3→8 3×3 pad 1 → Relu → Conv 8→8 3×3 stride 2 groups 8 → Conv 8→8 3×3 pad 1
    /// (the first's twin at the second's size: a different key) → GlobalAveragePool → Flatten → Gemm 8→5.</summary>
    private static OnnxModel Net()
    {
        var b = new GraphBuilder("net", opset: 13);
        var rng = new Random(3);
        float[] W(long n) => Enumerable.Range(0, (int)n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        string x = b.Input("x", ElemType.Float, "batch", 3, 16, 16);
        string h = b.Node("Conv", [x, b.Initializer("w1", [8, 3, 3, 3], W(216)), b.Initializer("b1", [8], W(8))], [Attrs.Ints("pads", 1, 1, 1, 1)]);
        h = b.Node("Relu", [h]);
        h = b.Node("Conv", [h, b.Initializer("w2", [8, 1, 3, 3], W(72))], [Attrs.Ints("strides", 2, 2), Attrs.Int("group", 8)]);
        h = b.Node("Conv", [h, b.Initializer("w3", [8, 8, 3, 3], W(576))], [Attrs.Ints("pads", 1, 1, 1, 1)]);
        h = b.Node("GlobalAveragePool", [h]);
        h = b.Node("Flatten", [h]);
        string y = b.Node("Gemm", [h, b.Initializer("w4", [5, 8], W(40)), b.Initializer("b4", [5], W(5))], [Attrs.Int("transB", 1)]);
        b.Output(y, ElemType.Float, "batch", 5);
        return OnnxModel.FromProto(b.Build());
    }

    /// <summary>A stand-in for the engine: milliseconds that depend only on the configuration (its MACs), counted per call.</summary>
    private sealed class FakeTimer
    {
        public List<string> Timed { get; } = [];

        public double Time(LatencyLayer l)
        {
            Timed.Add(l.Key);
            return l.OutputShape.Aggregate(1.0, (a, d) => a * d) * l.Shapes[1].Skip(1).Aggregate(1.0, (a, d) => a * d) / 1000;
        }
    }

    [Fact]
    public void Of_SmallNet_ListsConvAndGemmWithShapesAtTheBatch()
    {
        var layers = LatencyLayer.Of(Net(), batch: 8);

        Assert.Equal(["Conv", "Conv", "Conv", "Gemm"], layers.Select(l => l.Op));
        Assert.Equal([8L, 3, 16, 16], layers[0].Shapes[0]);
        Assert.Equal([8L, 8, 16, 16], layers[0].OutputShape);
        Assert.Equal([false, true, true], layers[0].IsWeight);
        Assert.Equal([8L, 8, 7, 7], layers[1].OutputShape);
        Assert.Equal([8L, 5], layers[3].OutputShape);
        Assert.Equal(4, layers.Select(l => l.Key).Distinct().Count());
        // The batch is part of every key: batch 1 is another configuration.
        Assert.Empty(LatencyLayer.Of(Net(), batch: 1).Select(l => l.Key).Intersect(layers.Select(l => l.Key)));
    }

    [Fact]
    public void Build_EachLayer_RunsInOrtWithTheLayersOutputShape()
    {
        foreach (var layer in LatencyLayer.Of(Net(), batch: 2))
        {
            var probe = LatencyProbe.Build(layer);
            using var session = new InferenceSession(probe.ToBytes());
            var input = layer.Shapes[0];
            var feed = new DenseTensor<float>(Enumerable.Repeat(0.25f, (int)input.Aggregate(1L, (a, d) => a * d)).ToArray(), input.Select(d => (int)d).ToArray());
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("x0", feed)]);
            Assert.Equal(layer.OutputShape, results[0].AsTensor<float>().Dimensions.ToArray().Select(d => (long)d));
        }
    }

    [Fact]
    public void Predict_CalibratedTable_IsSlopeTimesSumOfEntriesPlusIntercept()
    {
        var timer = new FakeTimer();
        var predictor = new LatencyPredictor(new LatencyTable(Key), 8, timer.Time, block: 0);
        var model = Net();
        double sum = LatencyLayer.Of(model, 8).Sum(l => new FakeTimer().Time(l));
        predictor.Table.Fit = new LatencyFit(1.5, 0.25);

        Assert.Equal(1.5 * sum + 0.25, predictor.Predict(model), 12);
        Assert.Equal(4, timer.Timed.Count);
        // A second prediction of the same model times nothing: each configuration is timed once.
        Assert.Equal(1.5 * sum + 0.25, predictor.Predict(model), 12);
        Assert.Equal((4, 4, 4), (timer.Timed.Count, predictor.Table.Hits, predictor.Table.Misses));
    }

    [Fact]
    public void Sum_WithBatchTimer_TimesEachMissingConfigurationOnceTogether()
    {
        var table = new LatencyTable(Key);
        var layers = LatencyLayer.Of(Net(), 8);
        var calls = new List<IReadOnlyList<LatencyLayer>>();
        IReadOnlyList<double> Many(IReadOnlyList<LatencyLayer> missing)
        {
            calls.Add(missing);
            return missing.Select(l => new FakeTimer().Time(l)).ToList();
        }
        double expected = layers.Sum(l => new FakeTimer().Time(l));

        Assert.Equal(2 * expected, table.Sum(layers.Concat(layers), _ => throw new InvalidOperationException("timed alone"), Many), 12);
        Assert.Equal(4, Assert.Single(calls).Count);
        Assert.Equal((4, 4), (table.Hits, table.Misses));
        // All present now: the batch timer is not called again.
        Assert.Equal(expected, table.Sum(layers, _ => throw new InvalidOperationException("timed alone"), Many), 12);
        Assert.Single(calls);
    }

    [Fact]
    public void Prefetch_TwoModels_TimesTheirNewConfigurationsInOneCallAndCountsEachFirstLookupAsItsMiss()
    {
        // The net at batch 8 and the same net at batch 4 share no configuration (4 + 4 layers); a second net at batch 8 adds nothing.
        var table = new LatencyTable(Key);
        var calls = new List<IReadOnlyList<LatencyLayer>>();
        IReadOnlyList<double> Many(IReadOnlyList<LatencyLayer> missing)
        {
            calls.Add(missing);
            return missing.Select(l => new FakeTimer().Time(l)).ToList();
        }
        var at8 = new LatencyPredictor(table, 8, _ => throw new InvalidOperationException("timed alone"), block: 0, Many);
        var at4 = new LatencyPredictor(table, 4, _ => throw new InvalidOperationException("timed alone"), block: 0, Many);

        Assert.Equal(4, at8.Prefetch([Net(), Net()]));
        Assert.Equal(4, at4.Prefetch([Net()]));
        Assert.Equal(0, at8.Prefetch([Net()]));

        Assert.Equal([4, 4], calls.Select(c => c.Count));
        Assert.Equal((0, 0), (table.Hits, table.Misses));
        // The sums time nothing more; each prefetched configuration's first lookup is its miss, later ones are hits.
        Assert.Equal(LatencyLayer.Of(Net(), 8).Sum(l => new FakeTimer().Time(l)), at8.TableSum(Net()), 12);
        at8.TableSum(Net());
        Assert.Equal((4, 4), (table.Hits, table.Misses));
        Assert.Equal(2, calls.Count);
        Assert.Throws<ArgumentException>(() => table.Fill(LatencyLayer.Of(Net(), 2), _ => [1.0]));
    }

    [Fact]
    public void Predict_Uncalibrated_Throws()
    {
        var predictor = new LatencyPredictor(new LatencyTable(Key), 8, new FakeTimer().Time, block: 0);
        Assert.Throws<InvalidOperationException>(() => predictor.Predict(Net()));
    }

    [Fact]
    public void Sum_TimerReturnsNegative_ThrowsAndStoresNothing()
    {
        var table = new LatencyTable(Key);
        Assert.Throws<ArgumentException>(() => table.Sum(LatencyLayer.Of(Net(), 8), _ => -1));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Load_SameKey_RoundTripsEntriesAndFitExactly()
    {
        string file = _dir.File("t.json");
        var table = new LatencyTable(Key) { Fit = new LatencyFit(0.1 + 0.2, 1.0 / 3) };
        double sum = table.Sum(LatencyLayer.Of(Net(), 8), new FakeTimer().Time);
        table.Save(file);

        var back = LatencyTable.Load(file, Key with { });
        Assert.Equal((4, table.Fit), (back.Count, back.Fit));
        Assert.Equal(sum, back.Sum(LatencyLayer.Of(Net(), 8), _ => throw new InvalidOperationException("nothing may be timed")));
        Assert.Equal([file], Directory.GetFiles(_dir.Path)); // atomic write: no temporary file left beside it
    }

    [Theory]
    [InlineData("engine")]
    [InlineData("batch")]
    [InlineData("threads")]
    [InlineData("machine")]
    [InlineData("runtime")]
    public void Load_OtherKey_StartsEmpty(string what)
    {
        string file = _dir.File("t.json");
        var table = new LatencyTable(Key);
        table.Sum(LatencyLayer.Of(Net(), 8), new FakeTimer().Time);
        table.Save(file);
        var other = what switch
        {
            "engine" => Key with { Engine = "ort-cuda" },
            "batch" => Key with { Batch = 16 },
            "threads" => Key with { Threads = 1 },
            "machine" => Key with { Machine = "Other CPU × 2" },
            _ => Key with { Runtime = "1.0.1" },
        };

        var loaded = LatencyTable.Load(file, other);
        Assert.Equal((0, other, (LatencyFit?)null), (loaded.Count, loaded.Key, loaded.Fit));
        Assert.Equal(4, LatencyTable.LoadExact(file).Count); // the run folder's copy is read whatever the key
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"Key\":null,\"Fit\":null,\"Ms\":{}}")]
    [InlineData("{\"Key\":{\"Engine\":\"ort-cpu\",\"Batch\":8,\"Threads\":2,\"Machine\":\"m\",\"Runtime\":\"r\"},\"Fit\":null,\"Ms\":{\"Conv|x\":-1}}")]
    public void Load_CorruptFile_ThrowsCheckpointExceptionNamingIt(string text)
    {
        string file = _dir.File("t.json");
        File.WriteAllText(file, text);
        var e = Assert.Throws<CheckpointException>(() => LatencyTable.Load(file, Key));
        Assert.StartsWith(file + ": corrupt latency table", e.Message);
        Assert.Equal(text, File.ReadAllText(file)); // left as it was
    }

    [Fact]
    public void LoadExact_MissingFile_ThrowsCheckpointException() =>
        Assert.Throws<CheckpointException>(() => LatencyTable.LoadExact(_dir.File("none.json")));

    [Fact]
    public void Here_SameArguments_SameKeyAndFileName()
    {
        var a = LatencyTableKey.Here(InferenceEngine.OrtCpu, 8, 0, 8);
        Assert.Equal(a, LatencyTableKey.Here(InferenceEngine.OrtCpu, 8, 0, 8));
        Assert.EndsWith($"× {Environment.ProcessorCount}", a.Machine);
        Assert.NotEqual(a.FileName(), LatencyTableKey.Here(InferenceEngine.OrtCpu, 8, 1, 8).FileName());
    }

    public void Dispose() => _dir.Dispose();
}
