using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// Recovers a pruned network's weights by least squares, from the original network's <paramref name="layers"/>
/// (read only). Paper mode solves each layer whose inputs were pruned from sub-blocks of the original network's Grams;
/// corrective mode then re-collects the pruned network's own layer inputs and solves every layer against the original
/// outputs, carrying the activations forward stage by stage (one forward pass per pass, see <c>Reconstructor.Sequential.cs</c>).
/// <paramref name="frontierBudget"/> bytes of activations stay in memory, the rest go to <paramref name="spillFolder"/>;
/// <paramref name="prefixPasses"/> selects the older reference that runs the network prefix for every stage.
/// </summary>
internal sealed partial class Reconstructor(IReadOnlyList<LayerFeatures> layers, IReconEngine engine, LstsqOptions lstsq,
    ImageSet calib, SessionOptions ortOptions, int batchSize, int correctiveImages, IReadOnlyDictionary<string, Graph.TensorInfo> types,
    long frontierBudget, string spillFolder, bool prefixPasses)
{
    /// <summary>
    /// Re-solves the weights of <paramref name="pm"/> in <paramref name="mode"/> and returns them as a new model; surgery's
    /// output is left as it was validated. The new model shares every node and every initializer it does not replace with
    /// <paramref name="pm"/> (a ResNet50's weights are not copied twice).
    /// </summary>
    /// <exception cref="LstsqException">A least-squares system stays singular.</exception>
    /// <exception cref="InvalidOperationException">Corrective or exact without the original outputs (<see cref="LayerFeatures.HasOutputs"/>).</exception>
    public (ModelProto Model, int Escalations) Reconstruct(PrunedModel pm, ReconMode mode, int correctivePasses, CancellationToken cancel)
    {
        if (mode == ReconMode.None) return (pm.Model.Proto, 0);
        if (mode is ReconMode.Corrective or ReconMode.Exact && layers.Count > 0 && !layers.Any(l => l.HasOutputs))
            throw new InvalidOperationException($"{mode} reconstruction needs the original layer outputs, which were not kept");
        var model = SharedCopy(pm.Model.Proto);
        int escalations = 0;
        // Exact, and corrective with one stage per layer, re-solve every layer paper mode would, each from inputs of
        // its already re-solved predecessors: paper weights would only be overwritten.
        if (mode == ReconMode.Paper || (mode == ReconMode.Corrective && !SolvesEachLayerAlone(model, correctivePasses)))
            using (ReconProfile.Time("paper-solve"))
                escalations += Paper(pm, model);
        if (mode == ReconMode.Corrective) escalations += Corrective(pm, model, correctivePasses, cancel);
        if (mode == ReconMode.Exact) escalations += Exact(pm, model, cancel);
        return (model, escalations);
    }

    /// <summary>
    /// A model whose graph's lists are new but whose elements (nodes, initializers, value infos) are those of
    /// <paramref name="source"/>: protobuf's MergeFrom adds repeated message elements by reference, and the solves only
    /// replace list entries (<see cref="WeightWriter"/>), never change a shared element.
    /// </summary>
    private static ModelProto SharedCopy(ModelProto source)
    {
        var copy = new ModelProto();
        copy.MergeFrom(source);
        return copy;
    }

    /// <summary>Paper mode; returns the number of ridge escalations.</summary>
    private int Paper(PrunedModel pm, ModelProto model)
    {
        var problems = new List<LstsqProblem>();
        var owners = new List<LayerSolve>();
        foreach (var features in layers)
        {
            var plan = features.Plan;
            var keptIn = pm.Kept(plan.Layer.Weight, plan.InAxis);
            if (keptIn is null || features.Gram is null) continue; // inputs unchanged: slicing the outputs is exact
            var keptOut = plan.KeptOut(pm);
            var cols = new List<int>(keptIn.Length * plan.Area + 1);
            foreach (var c in keptIn)
                for (int k = 0; k < plan.Area; k++) cols.Add((int)c * plan.Area + k);
            if (plan.HasBias) cols.Add(plan.Cols);
            problems.Add(features.Gram.Gather(cols.ToArray(), keptOut, plan.Layer.Name));
            owners.Add(new LayerSolve(plan, keptIn.Length, keptOut.Length));
        }
        return Solve(problems, owners, model.Graph, WeightWriter.Index(model.Graph));
    }

    /// <summary>
    /// Corrective reconstruction in <paramref name="stages"/> stages: the layers, in topological order, are
    /// cut into that many consecutive groups; each group is re-solved from inputs collected on the network
    /// whose earlier groups are already corrected (block Gauss-Seidel). Solving all layers at once from
    /// one collection (Jacobi) does not work: each layer is fitted to inputs its corrected predecessors no
    /// longer produce, and more passes make it worse. One stage per layer is <see cref="Exact"/>.
    /// Returns ridge escalations.
    /// </summary>
    private int Corrective(PrunedModel pm, ModelProto model, int stages, CancellationToken cancel)
    {
        var all = Ordered(model);
        stages = stages <= 0 ? all.Count : Math.Clamp(stages, 1, Math.Max(1, all.Count));
        var groups = new List<List<int>>();
        for (int k = 0; k < stages; k++)
        {
            var group = all.Skip(all.Count * k / stages).Take(all.Count * (k + 1) / stages - all.Count * k / stages).ToList();
            if (group.Count > 0) groups.Add(group);
        }
        return Staged(pm, model, groups, correctiveImages, cancel);
    }

    /// <summary>
    /// True when corrective reconstruction in <paramref name="stages"/> stages has one layer per stage: each layer is
    /// then solved from inputs of its re-solved predecessors only, and a paper solve before it would be overwritten.
    /// </summary>
    private bool SolvesEachLayerAlone(ModelProto model, int stages) => stages <= 0 || stages >= Ordered(model).Count;

    /// <summary>The reference: one layer at a time in topological order, over all calibration images.</summary>
    private int Exact(PrunedModel pm, ModelProto model, CancellationToken cancel) =>
        Staged(pm, model, Ordered(model).Select(i => new List<int> { i }).ToList(), int.MaxValue, cancel);

    private int Staged(PrunedModel pm, ModelProto model, List<List<int>> groups, int images, CancellationToken cancel)
    {
        if (groups.Count == 0) return 0;
        if (!prefixPasses && Sequential(pm, model, groups, images, cancel) is { } escalations) return escalations;
        // The graph cannot be cut (a node with a subgraph, an unnamed layer): each stage runs its prefix.
        return groups.Sum(g => Pass(pm, model, g, cancel, images));
    }

    /// <summary>Plans with original outputs, in the order of their nodes in <paramref name="model"/> (topological).</summary>
    private List<int> Ordered(ModelProto model)
    {
        var node = WeightConsumers(model.Graph);
        return Enumerable.Range(0, layers.Count).Where(i => layers[i].HasOutputs)
            .OrderBy(i => node.GetValueOrDefault(layers[i].Plan.Layer.Weight, int.MaxValue)).ThenBy(i => i).ToList();
    }

    /// <summary>
    /// The first node reading each initializer: a layer's conv, MatMul or Gemm, which reads the layer's input (a bias Add
    /// after a MatMul comes later, so the layer's output producer is not where its input is read).
    /// </summary>
    private static Dictionary<string, int> WeightConsumers(GraphProto graph)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 0; n < graph.Node.Count; n++)
            foreach (var i in graph.Node[n].Input)
                if (i.Length > 0) first.TryAdd(i, n);
        return first;
    }

    private int Pass(PrunedModel pm, ModelProto model, List<int> active, CancellationToken cancel, int images)
    {
        var graph = model.Graph;
        var index = WeightWriter.Index(graph);
        var cin = new int[layers.Count];
        var accs = new LayerGram?[layers.Count];
        float[] yk = [];
        try
        {
            foreach (int i in active)
            {
                var plan = layers[i].Plan;
                var keptOut = plan.KeptOut(pm);
                cin[i] = plan.PrunedInChannels(graph.Initializer[index[plan.Layer.Weight]], keptOut.Length);
                accs[i] = LayerGram.Open(engine, plan, cin[i], keptOut);
            }
            FeatureCollector.Run(model, layers, active, calib, ortOptions, batchSize, null, i => cin[i],
                (i, x, _, rows, start, count) => AddWithTargets(layers[i], accs[i]!, x, start, rows, ref yk), cancel, images);
            var solves = active.SelectMany(i => accs[i]!.Problems()).ToList();
            return Solve(solves.Select(p => p.Problem).ToList(), solves.Select(p => p.Owner).ToList(), graph, index);
        }
        finally
        {
            foreach (var a in accs) a?.Dispose();
        }
    }

    private int Solve(List<LstsqProblem> problems, List<LayerSolve> owners, GraphProto graph, Dictionary<string, int> index)
    {
        if (problems.Count == 0) return 0;
        var results = engine.SolveBatch(problems, lstsq);
        for (int i = 0; i < results.Count; i++)
            WeightWriter.Write(graph, index, owners[i], results[i]);
        return results.Sum(r => r.Escalations);
    }
}
