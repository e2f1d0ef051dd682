using FastPrune.Pipeline;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Api;

/// <summary>The public API as an embedding application uses it: one exception type whose kind is the exit code,
/// genomes evaluated with progress and cancellation, written models that measure what was reported.</summary>
public sealed class ApiTests
{
    private static WorkspaceOptions Small(ReconMode recon) => new()
    {
        ModelPath = SampleFiles.ResNet,
        DataPath = SampleFiles.CalibImages,
        EvalDataPath = SampleFiles.TestImages,
        Calib = 64,
        Eval = 200,
        Recon = recon,
        Device = ComputeTarget.Cpu,
        Threads = 2,
    };

    [Fact]
    public void Inspect_MissingFile_ThrowsFileSystemKind()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<FastPruneException>(() => Pruner.Inspect(tmp.File("absent.onnx")));
        Assert.Equal(FastPruneErrorKind.FileSystem, e.Kind);
        Assert.Contains("absent.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NotAModel_ThrowsInvalidInputKindWithTheCause()
    {
        using var tmp = new TempDir();
        var path = tmp.File("garbage.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        var e = Assert.Throws<FastPruneException>(() => Pruner.Inspect(path));
        Assert.Equal(FastPruneErrorKind.InvalidInput, e.Kind);
        Assert.Contains("garbage.onnx", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException);
    }

    [Fact]
    public void Inspect_Sample_ReportsItsMacsAndGenes()
    {
        var r = Pruner.Inspect(SampleFiles.ResNet);
        // samples/README.md: Conv/Gemm MACs counted on the graph.
        Assert.Equal(7_435_264, r.Macs);
        Assert.NotEmpty(r.Genes);
        Assert.All(r.Genes, g => Assert.InRange(g.Min, 1, g.Max));
    }

    [Fact]
    public void SearchSettings_LatencySource_DefaultsToMixInALatencyRunAndIsRefusedBesideAnotherObjective()
    {
        var workspace = Small(ReconMode.Paper);
        var latency = new SearchSettings { Workspace = workspace, OutDir = "x", Objective = CostObjective.Latency };
        Assert.Null(latency.LatencySource);
        Assert.Equal(LatencySource.Mix, latency.ToPipeline().LatencySource);
        Assert.Equal(LatencySource.Measure, (latency with { LatencySource = LatencySource.Measure }).ToPipeline().LatencySource);
        // A MACs run takes no latency source: the default is not one it was given, and a given one is refused, even measure.
        var macs = new SearchSettings { Workspace = workspace, OutDir = "x" };
        Assert.Equal(CostObjective.Macs, macs.ToPipeline().Objective);
        var e = Assert.Throws<FastPruneException>(() => (macs with { LatencySource = LatencySource.Measure }).ToPipeline());
        Assert.Equal(FastPruneErrorKind.InvalidOptions, e.Kind);
        Assert.Contains("--objective latency", e.Message, StringComparison.Ordinal);
        // What a run folder stored reads back the same way: no source for a MACs run, the run's own for a latency run.
        Assert.Null(SearchSettings.FromPipeline(macs.ToPipeline()).LatencySource);
        Assert.Equal(LatencySource.Mix, SearchSettings.FromPipeline(latency.ToPipeline()).LatencySource);
    }

    [Fact]
    public void SearchSettings_Round_DefaultsToEightAndToOneInALatencyRun()
    {
        var macs = new SearchSettings { Workspace = Small(ReconMode.Paper), OutDir = "x" };
        Assert.Null(macs.Round);
        Assert.Equal(8, macs.ToPipeline().Round);
        Assert.Equal(8, (macs with { Objective = CostObjective.Params }).ToPipeline().Round);
        Assert.Equal(1, (macs with { Objective = CostObjective.Latency }).ToPipeline().Round);
        // A given value is kept, the paper's every-count grid included; a stored run reads back the value it ran with.
        Assert.Equal(1, (macs with { Round = 1 }).ToPipeline().Round);
        Assert.Equal(16, (macs with { Objective = CostObjective.Latency, Round = 16 }).ToPipeline().Round);
        Assert.Equal(8, SearchSettings.FromPipeline(macs.ToPipeline()).Round);
        Assert.Equal(FastPruneErrorKind.InvalidOptions, Assert.Throws<FastPruneException>(() => (macs with { Round = 0 }).ToPipeline()).Kind);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    public void Search_ImageCountBelowOne_ThrowsInvalidOptionsBeforeWriting(int calib, int eval)
    {
        using var tmp = new TempDir();
        var s = new SearchSettings { Workspace = Small(ReconMode.Paper) with { Calib = calib, Eval = eval }, OutDir = tmp.File("run") };
        var e = Assert.Throws<FastPruneException>(() => Pruner.Search(s));
        Assert.Equal(FastPruneErrorKind.InvalidOptions, e.Kind);
        Assert.False(Directory.Exists(tmp.File("run")));
    }

    [Fact]
    public void Search_BudgetZero_ThrowsInvalidOptions()
    {
        var s = BundledSample.Search() with { Budget = 0 };
        Assert.Equal(FastPruneErrorKind.InvalidOptions, Assert.Throws<FastPruneException>(() => Pruner.Search(s)).Kind);
    }

    /// <summary>A keep-ratio's widths lie on <see cref="Pruner.DefaultKeepRatioRound"/> unless another grid is asked for;
    /// given counts are taken as given, and refused off a grid that was asked for — the data-free prune the same.</summary>
    [Fact]
    public void ParseGenome_KeepRatioOnTheDefaultGrid_CountsAsGivenUnlessAGridIsAsked()
    {
        using var ws = Workspace.Open(Small(ReconMode.Paper));
        var structure = FastPrune.Graph.Pruning.PrunableStructure.Analyze(FastPrune.Graph.OnnxModel.Load(SampleFiles.ResNet));
        var genes = structure.Genes;
        Assert.Equal(8, Pruner.DefaultKeepRatioRound);
        var rounded = ws.ParseGenome("0.55");
        Assert.All(rounded.Select((w, i) => (w, i)), p => Assert.True(p.w % 8 == 0 || p.w == genes[p.i].Max, $"gene {p.i + 1}: {p.w}"));
        Assert.Equal(FastPrune.Graph.Pruning.Genome.Uniform(genes, 0.55), ws.ParseGenome("0.55", round: 1));
        Assert.NotEqual(rounded, ws.ParseGenome("0.55", round: 1));

        string offGrid = "22,11,45,11,11,11,22,90,22,22,22,45,180,47,45,45";
        Assert.Equal(22, ws.ParseGenome(offGrid)[0]);
        Assert.Equal(22, ws.ParseGenome(offGrid, round: 1)[0]);
        var e = Assert.Throws<FastPruneException>(() => ws.ParseGenome(offGrid, round: 8));
        Assert.Equal(FastPruneErrorKind.InvalidOptions, e.Kind);
        Assert.StartsWith("--round 8: gene 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(FastPruneErrorKind.InvalidOptions, Assert.Throws<FastPruneException>(() => ws.ParseGenome("0.5", round: 0)).Kind);

        using var tmp = new TempDir();
        var sliced = Pruner.Prune(Small(ReconMode.Paper) with { DataPath = null, EvalDataPath = null }, "0.55", tmp.File("p.onnx"));
        Assert.Equal(rounded, sliced.Genome);
    }

    [Fact]
    public void Workspace_EvaluateAll_ReportsEachSubnetAndStopsWhenCancelled()
    {
        using var ws = Workspace.Open(Small(ReconMode.Paper));
        Assert.Equal(FastPruneErrorKind.InvalidOptions, Assert.Throws<FastPruneException>(() => ws.ParseGenome("abc")).Kind);
        // Exact needs the original layer outputs, which a paper-mode workspace does not keep: refused by name.
        Assert.Contains("Exact", Assert.Throws<FastPruneException>(() => ws.Evaluate(ws.ParseGenome("0.5"), ReconMode.Exact)).Message, StringComparison.Ordinal);

        var genomes = new[] { ws.ParseGenome("max"), ws.ParseGenome("0.5"), ws.ParseGenome("0.25") };
        var seen = new List<SubnetReport>();
        var all = ws.EvaluateAll(genomes, null, new SyncProgress<SubnetReport>(seen.Add));
        Assert.Equal(3, seen.Count);
        Assert.Equal(all, seen);
        // The unpruned genome with paper reconstruction re-solves every layer on the original features: the accuracy stays close.
        Assert.Equal(ws.OriginalMacs, all[0].Macs);
        Assert.True(all[1].Macs < all[0].Macs && all[2].Macs < all[1].Macs);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ws.EvaluateAll(genomes, null, null, cancelled.Token));
    }

    [Fact]
    public void Workspace_Write_ModelMeasuresTheReportedAccuracyAndMacs()
    {
        using var tmp = new TempDir();
        // Every one of the 2000 test images: the workspace and Pruner.Evaluate draw their subsets differently.
        var options = Small(ReconMode.Corrective) with { Eval = 2000 };
        using var ws = Workspace.Open(options);
        var path = tmp.File("half.onnx");
        var r = ws.Write(ws.ParseGenome("0.5"), path);
        // The written file is the evaluated subnet: ONNX Runtime on the same evaluation images gives the same accuracy.
        var measured = Pruner.Evaluate(options with { ModelPath = path });
        Assert.Equal(r.Accuracy, measured.Accuracy, 6);
        Assert.Equal(options.Eval, measured.Count);
        Assert.Equal(r.Macs, Pruner.Inspect(path).Macs);
        // The input model itself is refused as output, by kind.
        Assert.Equal(FastPruneErrorKind.InvalidOptions,
            Assert.Throws<FastPruneException>(() => ws.Write(ws.ParseGenome("0.5"), SampleFiles.ResNet)).Kind);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
