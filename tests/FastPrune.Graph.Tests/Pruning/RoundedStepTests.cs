using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>
/// <c>run --round N</c> and <c>Analyze(model, step: N)</c>: every width a gene prunes is a multiple of N. Group genes
/// count whole conv groups, so they step by the fewest groups whose channels make a multiple of N.
/// </summary>
public sealed class RoundedStepTests
{
    [Theory]
    [InlineData("resnext", 8)]  // layer1 groups of 4 channels: step 2 (later groups of 8 and more: 1)
    [InlineData("regnet_y", 8)] // groups of 8 channels: step 1
    [InlineData("resnext", 3)]  // 4 and 3 are coprime: step 3
    public void Analyze_RoundedGroupGenes_EveryPrunedConvWidthIsAMultipleOrWhole(string name, int round)
    {
        var model = FamilyFixtures.Load(name);
        var s = PrunableStructure.Analyze(model, step: round);
        var original = model.Proto.Graph.Initializer.ToDictionary(t => t.Name, t => t.Dims[0], StringComparer.Ordinal);

        // the smallest count of every gene, and the next one up
        foreach (var extra in new[] { 0, 1 })
        {
            var genome = s.Genes.Select(g => Math.Min(g.Max, g.Min + extra * g.Step)).ToArray();
            var (pruned, _) = PruneCheck.Prune(s, genome, SelectionMethod.L1, 0);

            var convs = pruned.Proto.Graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Input[1]).ToList();
            Assert.All(convs, w =>
            {
                long width = PruneCheck.Dims(pruned.Proto, w)[0];
                Assert.True(width % round == 0 || width == original[w], $"{name}: conv '{w}' has {width} outputs with --round {round}");
            });
        }
        var groups = s.Genes.Select((g, i) => (g, i)).Where(p => p.g.Kind == GeneKind.Groups).ToList();
        Assert.NotEmpty(groups);
        Assert.All(groups, p => Assert.Equal(p.g.Step, s.RoundedStep(p.i, round)));
        Assert.Equal(name == "regnet_y" ? 1 : round == 8 ? 2 : 3, groups.Max(p => p.g.Step));
    }

    /// <summary><c>prune --genome 0.55</c> on the grid of 8 (and <c>run</c>'s space): every gene steps by its rounded
    /// step from that step to its maximum, and a keep-ratio lands on the grid count nearest to it; the grid of 1 is the
    /// genes themselves.</summary>
    [Theory]
    [InlineData("resnext")]
    [InlineData("mobilenet_v2")]
    public void RoundedGenes_KeepRatio_NearestCountOnTheGrid(string name)
    {
        var s = PrunableStructure.Analyze(FamilyFixtures.Load(name));
        Assert.Equal(s.Genes, s.RoundedGenes(1));
        var grid = s.RoundedGenes(8);
        for (int i = 0; i < s.Genes.Count; i++)
        {
            var (g, r) = (s.Genes[i], grid[i]);
            Assert.Equal((g.Name, g.Kind, g.Max), (r.Name, r.Kind, r.Max));
            Assert.Equal(Math.Max(g.Step, s.RoundedStep(i, 8)), r.Step);
            Assert.Equal(Math.Min(g.Max, Math.Max(g.Min, r.Step)), r.Min);
        }
        var counts = Genome.Parse("0.55", s.Genes, grid);
        for (int i = 0; i < counts.Length; i++)
        {
            var r = grid[i];
            Assert.True(r.Allows(counts[i]), $"gene {i + 1}: {counts[i]} is off its grid {r.Min}..{r.Max} step {r.Step}");
            Assert.True(counts[i] == r.Min || Math.Abs(counts[i] - 0.55 * r.Max) <= r.Step / 2.0 || counts[i] == r.Max,
                $"gene {i + 1}: {counts[i]} is not the grid count nearest to {0.55 * r.Max}");
        }
        // Counts are still checked against the genes themselves: the keep-ratio's are on both grids.
        Genome.Validate(counts, s.Genes);
        Assert.NotEqual(Genome.Parse("0.55", s.Genes), counts);
    }

    [Fact]
    public void RoundedStep_HeadsOfDeitLayout_StepOneForEight()
    {
        var s = PrunableStructure.Analyze(FamilyFixtures.Load("vit_b16"));

        var heads = s.Genes.Select((g, i) => (g, i)).Where(p => p.g.Kind == GeneKind.Heads).ToList();
        Assert.NotEmpty(heads);
        Assert.All(heads, p => Assert.Equal(1, s.RoundedStep(p.i, 8))); // 16-wide heads
        Assert.All(heads, p => Assert.Equal(Math.Min(p.g.Max, 32 / 16), s.RoundedStep(p.i, 32)));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RoundedStep(s.Genes.Count, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RoundedStep(0, 0));
    }
}
