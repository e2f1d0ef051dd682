using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Search;

/// <summary>
/// The layout switches the latency table counts, against ONNX Runtime's own optimised graphs: for the bundled samples,
/// dense, pruned to unaligned widths and pruned to multiples of 8, the <c>ReorderInput</c> and <c>ReorderOutput</c> nodes
/// <see cref="NchwcReorders"/> predicts are those ONNX Runtime CPU inserts on this machine.
/// </summary>
public sealed class NchwcReordersTests : IDisposable
{
    private readonly TempDir _dir = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "resnet.onnx", "dense" }, { "resnet.onnx", "uniform 0.55" }, { "resnet.onnx", "rounded 8" }, { "resnet.onnx", "mixed" }, { "resnet.onnx", "random" },
        { "mobilenet.onnx", "dense" }, { "mobilenet.onnx", "uniform 0.55" }, { "mobilenet.onnx", "rounded 8" }, { "mobilenet.onnx", "mixed" }, { "mobilenet.onnx", "random" },
        { "vit.onnx", "dense" }, { "vit.onnx", "rounded 8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Of_Sample_PredictsTheReordersOrtInserts(string sample, string pruning)
    {
        var model = Sample(sample, pruning);
        int block = OrtNchwcBlock.Of(InferenceEngine.OrtCpu);
        var (index, shapes) = LatencyLayer.ShapesAt(model, 1);

        var predicted = NchwcReorders.Of(index, shapes, block, model.Opset).Switches;
        var all = OrtNchwcBlock.OptimizedNodes(model, _dir.Path);
        var ort = all.Where(n => n.Domain == OrtNchwcBlock.Domain).ToList();

        foreach (string op in new[] { "ReorderInput", "ReorderOutput" })
            Assert.True(ort.Count(n => n.OpType == op) == predicted.Count(s => s.Op == op),
                $"{op}: ONNX Runtime {ort.Count(n => n.OpType == op)}, predicted {predicted.Count(s => s.Op == op)} (block {block}; predicted {string.Join(", ", predicted.Select(p => p.Op + " " + string.Join('x', p.Shapes[0])))}; ONNX Runtime's graph: {string.Join(", ", all.Select(n => (n.Domain == OrtNchwcBlock.Domain ? "nchwc." : "") + n.OpType + "(" + string.Join(",", n.Input) + ")"))})");
    }

    /// <summary>The latency table keys a blocked convolution by the channels ONNX Runtime computes: the weight shapes of
    /// the padded layers are those of the blocked convolutions' weights in ONNX Runtime's optimised graph.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void InNetwork_Sample_PadsBlockedConvolutionsAsOrtDoes(string sample, string pruning)
    {
        var model = Sample(sample, pruning);
        int block = OrtNchwcBlock.Of(InferenceEngine.OrtCpu);
        var (index, shapes) = LatencyLayer.ShapesAt(model, 1);
        var blocked = NchwcReorders.Of(index, shapes, block, model.Opset).BlockedConvs;
        var padded = LatencyLayer.InNetwork(model, 1, block).Where(l => l.Op == "Conv").ToList();
        var plain = LatencyLayer.Of(model, 1).Where(l => l.Op == "Conv").ToList();

        var graph = OrtNchwcBlock.Optimized(model, _dir.Path);
        var weights = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray(), StringComparer.Ordinal);
        var ort = graph.Node.Where(n => n.Domain == OrtNchwcBlock.Domain && n.OpType == "Conv").Select(n => Text(weights[n.Input[1]])).Order().ToList();
        var convs = index.Order.Where(n => index.Node(n).OpType == "Conv").ToList();
        Assert.Equal(convs.Count, padded.Count);
        var predicted = convs.Select((n, k) => (n, k)).Where(p => blocked.ContainsKey(p.n)).Select(p => Text(padded[p.k].Shapes[1])).Order().ToList();
        Assert.Equal(ort, predicted);
        foreach (var (n, k) in convs.Select((n, k) => (n, k)).Where(p => !blocked.ContainsKey(p.n))) Assert.Equal(plain[k].Key, padded[k].Key);
    }

    private static string Text(IEnumerable<long> dims) => string.Join('x', dims);

    /// <summary>What <c>run</c>'s default <c>--round</c> on ORT CPU rests on: every width a multiple of
    /// <see cref="SearchSettings.DefaultRound"/>, ONNX Runtime runs each convolution of the CNN samples in its blocked layout
    /// as it runs the dense model's, for random genomes on that grid; on the unrounded grid some fall to the plain path.</summary>
    [Theory]
    [InlineData("resnet.onnx")]
    [InlineData("mobilenet.onnx")]
    public void DefaultRound_RandomGenomes_OrtRunsEveryConvolutionBlocked(string sample)
    {
        int round = SearchSettings.DefaultRound(CostObjective.Macs);
        var model = OnnxModel.Load(Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, sample));
        var structure = PrunableStructure.Analyze(model);
        int PlainConvs(OnnxModel m) => OrtNchwcBlock.OptimizedNodes(m, _dir.Path).Count(n => n.OpType is "Conv" or "FusedConv" && n.Domain != OrtNchwcBlock.Domain);
        int dense = PlainConvs(model);
        var rng = new Xoshiro256(11);
        int plainUnrounded = 0;
        for (int draw = 0; draw < 4; draw++)
        {
            int[] Draw(IReadOnlyList<Gene> grid) =>
                grid.Select(g => Math.Min(g.Max, g.Min + g.Step * (int)(rng.NextDouble() * ((g.Max - g.Min) / g.Step + 1)))).ToArray();
            var rounded = PrunedSubnet.Build(structure, Draw(structure.RoundedGenes(round)), SelectionMethod.L1, seed: 0).Model;
            Assert.Equal(dense, PlainConvs(rounded));
            plainUnrounded += PlainConvs(PrunedSubnet.Build(structure, Draw(structure.Genes), SelectionMethod.L1, seed: 0).Model) - dense;
        }
        if (OrtNchwcBlock.Of(InferenceEngine.OrtCpu) > 0) Assert.True(plainUnrounded > 0, "unrounded widths never left the blocked layout");
    }

    [Fact]
    public void Block_OnThisMachine_IsWhatOrtBlocksConvolutionsBy()
    {
        int block = OrtNchwcBlock.Of(InferenceEngine.OrtCpu);
        Assert.Contains(block, new[] { 0, 4, 8, 16, 32, 64 });
        Assert.Equal(0, OrtNchwcBlock.Of(InferenceEngine.OrtCuda));
    }

    /// <summary>A probe folder ONNX Runtime cannot write to: no block, and the reason (a latency run notes it); here,
    /// where the temp folder is writable, the process's own answer has none.</summary>
    [Fact]
    public void Find_FolderThatDoesNotExist_AnswersNoBlockAndSaysWhy()
    {
        var (block, problem) = OrtNchwcBlock.Find(Path.Combine(_dir.Path, "missing", "deeper"));
        Assert.Equal(0, block);
        Assert.False(string.IsNullOrWhiteSpace(problem));
        Assert.DoesNotContain('\n', problem);
        Assert.Equal(OrtNchwcBlock.Of(InferenceEngine.OrtCpu), OrtNchwcBlock.Find(_dir.Path).Block);
        Assert.Null(OrtNchwcBlock.Problem(InferenceEngine.OrtCpu));
        Assert.Null(OrtNchwcBlock.Problem(InferenceEngine.OrtCuda));
    }

    [Fact]
    public void Of_BlockZero_HasNoSwitches()
    {
        var model = OnnxModel.Load(SampleFiles.ResNet);
        var (index, shapes) = LatencyLayer.ShapesAt(model, 1);
        Assert.Empty(NchwcReorders.Of(index, shapes, 0, model.Opset).Switches);
    }

    /// <summary>The bundled sample file <paramref name="sample"/>, <see cref="Pruned"/> as <paramref name="pruning"/> says.</summary>
    private static OnnxModel Sample(string sample, string pruning) =>
        Pruned(OnnxModel.Load(Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, sample)), pruning);

    /// <summary>The sample pruned: whole; every gene at 55 % (off multiples of 8); every gene rounded down to a multiple
    /// of 8 at 70 %; genes alternately aligned and not; or each gene drawn uniformly over its counts (seeded).</summary>
    private static OnnxModel Pruned(OnnxModel model, string pruning)
    {
        var structure = PrunableStructure.Analyze(model);
        var genes = structure.Genes;
        int[] genome = pruning switch
        {
            "dense" => genes.Select(g => g.Max).ToArray(),
            "uniform 0.55" => Genome.Uniform(genes, 0.55),
            "rounded 8" => Genome.Uniform(genes, 0.7).Select((v, i) => RoundDown(v, structure.RoundedStep(i, 8), genes[i])).ToArray(),
            "mixed" => Genome.Uniform(genes, 0.7).Select((v, i) => i % 2 == 0 ? RoundDown(v, structure.RoundedStep(i, 8), genes[i]) : Math.Max(genes[i].Min, v - 3)).ToArray(),
            "random" => Random(genes),
            _ => throw new ArgumentException(pruning, nameof(pruning)),
        };
        return PrunedSubnet.Build(structure, genome, SelectionMethod.L1, seed: 0).Model;
    }

    private static int[] Random(IReadOnlyList<Gene> genes)
    {
        var rng = new Xoshiro256(7);
        return genes.Select(g => g.Min + g.Step * (int)(rng.NextDouble() * ((g.Max - g.Min) / g.Step + 1))).ToArray();
    }

    private static int RoundDown(int v, int step, Gene g) => Math.Clamp(Math.Max(step, v / step * step), g.Min, g.Max);

    public void Dispose() => _dir.Dispose();
}
