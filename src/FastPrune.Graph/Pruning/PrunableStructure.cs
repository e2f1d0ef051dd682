using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// The search space of a model (paper section 3.2): one <see cref="Gene"/> per group of channels
/// that must shrink together, derived from the graph by per-op propagation rules, plus what surgery
/// needs to apply a genome (which initializer axes each group indexes, which Reshape targets and
/// grouped convs carry its size) and the layers reconstruction re-solves.
/// </summary>
public sealed class PrunableStructure
{
    private PrunableStructure(OnnxModel model, GraphIndex index, Dictionary<string, TensorInfo> shapes) =>
        (Model, Index, Shapes) = (model, index, shapes);

    /// <summary>The analysed model, with shared initializers untied (same outputs as the original).</summary>
    public OnnxModel Model { get; private set; }

    /// <summary>The model's graph index.</summary>
    public GraphIndex Index { get; }

    /// <summary>Symbolic shapes of every tensor.</summary>
    public Dictionary<string, TensorInfo> Shapes { get; }

    /// <summary>The genes, in a stable order (topological order of each group's first layer).</summary>
    public IReadOnlyList<Gene> Genes { get; private set; } = [];

    /// <summary>Groups that are not prunable and why (e.g. they reach a graph output).</summary>
    public IReadOnlyList<string> Frozen { get; private set; } = [];

    /// <summary>Every Conv / Gemm / linear MatMul layer, in topological order.</summary>
    public IReadOnlyList<PrunableLayer> Layers { get; private set; } = [];

    internal int[] GeneSpace { get; private set; } = [];
    internal Dictionary<int, ChannelSpace> Roots { get; } = new();
    internal Dictionary<int, List<SliceUsage>> UsagesByRoot { get; } = new();
    internal Func<int, int> RootOf { get; private set; } = s => s;
    internal List<(int Node, int Input)> ShapeInputs { get; private set; } = [];
    /// <summary>Depthwise and grouped convs: node → output channels per group, which surgery keeps.</summary>
    internal Dictionary<int, long> GroupedConvs { get; private set; } = [];
    internal List<ChunkOp> Chunks { get; private set; } = [];
    internal Dictionary<string, AxisTag?[]> Tags { get; private set; } = new();

    /// <summary>Analyses <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="step">Every pruned width a multiple of it (e.g. 8 to keep counts vector friendly): the step of channel genes, and
    /// of head and group genes the fewest units that make a multiple of it (see <see cref="RoundedStep"/>).</param>
    /// <exception cref="ModelFormatException">Shapes cannot be inferred.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not positive.</exception>
    public static PrunableStructure Analyze(OnnxModel model, int step = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        try
        {
            var untied = OnnxModel.FromProto(Untie.Apply(model.Proto), model.SourcePath, model.ShapeOptions);
            var index = new GraphIndex(untied.Proto.Graph);
            var shapes = ShapeInference.Run(index, untied);
            var s = new DependencyAnalysis(index, shapes).Run();
            s.Finish(untied, step);
            return s;
        }
        catch (ModelFormatException e) when (model.SourcePath is not null && e.File is null)
        {
            // errors found after loading must still name the file, like the loader's
            throw e.InFile(model.SourcePath);
        }
    }

    internal static PrunableStructure Build(GraphIndex g, List<ChannelSpace> spaces, List<SliceUsage> usages,
        List<(int, int)> shapeInputs, Dictionary<int, long> groupedConvs, List<ChunkOp> chunks, List<PrunableLayer> layers, Dictionary<string, AxisTag?[]> tags,
        Dictionary<string, TensorInfo> shapes)
    {
        int Root(int s)
        {
            while (spaces[s].Parent != s) s = spaces[s].Parent;
            return s;
        }
        var p = new PrunableStructure(null!, g, shapes)
        {
            RootOf = Root,
            ShapeInputs = shapeInputs,
            GroupedConvs = groupedConvs,
            Chunks = chunks,
            Layers = layers,
            Tags = tags,
        };
        foreach (var s in spaces)
        {
            int r = Root(s.Id);
            p.Roots[r] = spaces[r];
        }
        foreach (var u in usages)
        {
            int r = Root(u.Space);
            if (!p.UsagesByRoot.TryGetValue(r, out var list)) p.UsagesByRoot[r] = list = [];
            list.Add(u);
        }
        return p;
    }

    private void Finish(OnnxModel model, int step)
    {
        Model = model;
        var genes = new List<Gene>();
        var geneSpace = new List<int>();
        var frozen = new List<string>();
        foreach (var root in Roots.Values.OrderBy(s => s.SourceNode).ThenBy(s => s.Id))
        {
            if (root.FrozenReason is not null)
            {
                frozen.Add($"{root.Source}: {root.FrozenReason}");
                continue;
            }
            if (!UsagesByRoot.ContainsKey(root.Id) || root.Units < 2) continue;
            var kind = root.Grouped ? GeneKind.Groups : root.IsHeads ? GeneKind.Heads : root.Linear ? GeneKind.Hidden : GeneKind.Channels;
            genes.Add(new Gene(root.Source, kind, 1, checked((int)root.Units), 1));
            geneSpace.Add(root.Id);
        }
        Genes = genes;
        GeneSpace = geneSpace.ToArray();
        Frozen = frozen;
        if (step > 1) Genes = RoundedGenes(step);
    }

    /// <summary>
    /// The step of gene <paramref name="gene"/> that keeps every width it prunes a multiple of <paramref name="round"/>
    /// (<c>run --round</c>). Channel and hidden genes count channels: the step is <paramref name="round"/>. Heads and conv
    /// groups count units of several channels: the step is the fewest units whose channels are a multiple of
    /// <paramref name="round"/>, <c>round / gcd(unit width, round)</c> (ResNeXt's groups of 4 channels step 2 for 8;
    /// RegNet's groups of 8 and ViT's 64-wide heads step 1). Not above the gene's maximum (the gene then stays whole).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gene"/> is not a gene index or <paramref name="round"/> is below 1.</exception>
    public int RoundedStep(int gene, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gene);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gene, Genes.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        return Math.Min(UnitStep(Roots[GeneSpace[gene]], round), Genes[gene].Max);
    }

    /// <summary>The genes on the grid of <paramref name="round"/>: each steps by <see cref="RoundedStep"/> from that step
    /// (its smallest rounded width) to its maximum, which stays allowed when it is off the grid.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="round"/> is below 1.</exception>
    public IReadOnlyList<Gene> RoundedGenes(int round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        return Genes.Select((g, i) =>
        {
            int step = Math.Max(g.Step, RoundedStep(i, round));
            return g with { Min = Math.Min(g.Max, Math.Max(g.Min, step)), Step = step };
        }).ToList();
    }

    private static int UnitStep(ChannelSpace root, int round) =>
        root.IsHeads ? (int)(round / System.Numerics.BigInteger.GreatestCommonDivisor(root.HeadDim, round)) : round;

    /// <summary>Channel indices along a usage's axis for the kept units of its space (ascending).</summary>
    internal static long[] Expand(SliceUsage u, ChannelSpace root, int[] keptUnits)
    {
        // Head-structured: the run holds T blocks (q, k, v for a fused projection) of heads × head_dim;
        // index = t·H·hd + h·hd + d. Plain channels and per-head constants: index = unit.
        bool heads = root.IsHeads && !u.PerUnit;
        long perUnit = heads ? root.HeadDim : 1;
        long blocks = heads ? u.Length / (root.Heads * root.HeadDim) : 1;
        long blockSize = heads ? root.Heads * root.HeadDim : u.Length;
        var result = new long[blocks * keptUnits.Length * perUnit * u.Inner];
        int k = 0;
        for (long t = 0; t < blocks; t++)
            foreach (var unit in keptUnits)
                for (long d = 0; d < perUnit; d++)
                {
                    long channel = t * blockSize + unit * perUnit + d;
                    for (long i = 0; i < u.Inner; i++)
                        result[k++] = u.Offset + channel * u.Inner + i;
                }
        return result;
    }
}
