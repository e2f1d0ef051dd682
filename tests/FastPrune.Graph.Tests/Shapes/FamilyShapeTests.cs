using FastPrune.Graph.Pruning;
using FastPrune.Graph.Tests.Support;
using FastPrune.Graph.Tests.Zoo;

namespace FastPrune.Graph.Tests.Shapes;

/// <summary>
/// Every torchvision family export (tests/fixtures/families) against ONNX Runtime: each intermediate tensor's
/// inferred shape (batch bound, and symbolic then bound) equals the shape ORT computes, from the rules alone
/// (no oracle here); the MACs equal a count over ORT-measured shapes; and prunable_macs_fraction's layers are
/// exactly those whose MACs fall when every gene is at its minimum.
/// </summary>
public sealed class FamilyShapeTests
{
    private const int Batch = 2;

    public static IEnumerable<object[]> Families() => FamilyFixtures.All();

    [Theory]
    [MemberData(nameof(Families))]
    public void Run_Family_EveryTensorMatchesOrt(string name)
    {
        var model = FamilyFixtures.Load(name);
        var index = new GraphIndex(model.Proto.Graph);
        var batchSymbol = index.Inputs.Values.First().Type.TensorType.Shape.Dim[0].DimParam;
        var bindings = new Dictionary<string, long> { [batchSymbol] = Batch };
        var bound = ShapeInference.Run(index, model, bindings);
        var symbolic = ShapeInference.Run(index, model);
        var shape = FamilyFixtures.InputShape(model, Batch);

        var ort = OrtAll.IntermediateShapes(model.Proto, bound, Ort.RandomInput(shape, 7), shape);

        Assert.Equal(model.Proto.Graph.Node.Sum(n => n.Output.Count(o => o.Length > 0)), ort.Count);
        foreach (var (tensor, actual) in ort)
        {
            var ours = bound[tensor];
            Assert.True(ours.IsStatic && actual.SequenceEqual(ours.StaticShape()), $"{name} '{tensor}': inferred [{ours.ShapeText}], ORT gives [{string.Join(",", actual)}]");
            var resolved = symbolic[tensor].Shape!.Select(d => d.Bind(bindings)).ToArray();
            Assert.True(resolved.All(d => d.IsKnown) && actual.SequenceEqual(resolved.Select(d => d.Value)),
                $"{name} '{tensor}': symbolic [{symbolic[tensor].ShapeText}] does not resolve to ORT's [{string.Join(",", actual)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Compute_Family_MacsEqualCountOverOrtShapes(string name)
    {
        var model = FamilyFixtures.Load(name);
        var shape = FamilyFixtures.InputShape(model, 1);

        long expected = MacCounter.Count(model.Proto, Ort.RandomInput(shape, 8), shape, out _);

        Assert.Equal(expected, ModelCost.Compute(model).Macs);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void ShrinkableNodes_Family_ExactlyTheLayersWhoseMacsFallAtMinimumGenes(string name)
    {
        var structure = PrunableStructure.Analyze(FamilyFixtures.Load(name));
        var cost = ModelCost.Compute(structure.Model);
        var genome = structure.Genes.Select(g => g.Min).ToArray();
        var pruned = Surgery.Apply(structure, ChannelSelection.Select(structure, genome, SelectionMethod.L1, 0));
        var prunedCost = ModelCost.Compute(pruned);
        // surgery keeps every node's first output name: match layers by it
        var after = pruned.Proto.Graph.Node.Select((n, i) => (n.Output[0], prunedCost.MacsByNode.GetValueOrDefault(i)))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

        var shrinkable = PrunableMacs.ShrinkableNodes(structure);

        long inShrinkable = 0;
        foreach (var (n, macs) in cost.MacsByNode)
        {
            var output = structure.Index.Node(n).Output[0];
            Assert.True(after.ContainsKey(output), $"{name}: layer '{output}' is gone after surgery");
            bool fell = after[output] < macs;
            Assert.True(fell == shrinkable.Contains(n), $"{name}: layer '{structure.Index.NodeName(n)}' MACs {macs} → {after[output]}, counted shrinkable: {shrinkable.Contains(n)}");
            if (fell) inShrinkable += macs;
        }
        Assert.Equal((double)inShrinkable / cost.Macs, PrunableMacs.Fraction(structure, cost), 12);
    }
}
