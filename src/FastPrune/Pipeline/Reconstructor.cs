using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// Recovers a pruned network's weights by least squares. Paper mode solves each layer whose inputs
/// were pruned from sub-blocks of the original network's Grams; corrective mode then re-collects
/// the pruned network's own layer inputs and solves every layer against the original outputs.
/// </summary>
internal sealed class Reconstructor(IReadOnlyList<LayerPlan> plans, IReconEngine engine, LstsqOptions lstsq,
    ImageSet calib, SessionOptions session, int batchSize, int correctiveImages)
{
    /// <summary>Paper mode; returns the number of ridge escalations.</summary>
    public int Paper(PrunedModel pm, ModelProto model)
    {
        var problems = new List<LstsqProblem>();
        var owners = new List<(LayerPlan Plan, int Cin, int Cout)>();
        foreach (var plan in plans)
        {
            var keptIn = pm.Kept(plan.Layer.Weight, plan.InAxis);
            if (keptIn is null || plan.Gram is null) continue; // inputs unchanged: slicing the outputs is exact
            var keptOut = plan.KeptOut(pm);
            var cols = new List<int>(keptIn.Length * plan.Area + 1);
            foreach (var c in keptIn)
                for (int k = 0; k < plan.Area; k++) cols.Add((int)c * plan.Area + k);
            if (plan.HasBias) cols.Add(plan.Cols);
            problems.Add(plan.Gram.Gather(cols.ToArray(), keptOut, plan.Layer.Name));
            owners.Add((plan, keptIn.Length, keptOut.Length));
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
    public int Corrective(PrunedModel pm, ModelProto model, int stages, CancellationToken cancel)
    {
        int escalations = 0;
        var all = Enumerable.Range(0, plans.Count).Where(i => plans[i].Targets is not null).ToList();
        stages = stages <= 0 ? all.Count : Math.Clamp(stages, 1, Math.Max(1, all.Count));
        for (int k = 0; k < stages; k++)
        {
            var group = all.Skip(all.Count * k / stages).Take(all.Count * (k + 1) / stages - all.Count * k / stages).ToList();
            if (group.Count > 0) escalations += Pass(pm, model, group, cancel, correctiveImages);
        }
        return escalations;
    }

    /// <summary>Slow reference: one layer at a time in topological order.</summary>
    public int Exact(PrunedModel pm, ModelProto model, CancellationToken cancel)
    {
        int escalations = 0;
        for (int i = 0; i < plans.Count; i++)
            if (plans[i].Targets is not null)
                escalations += Pass(pm, model, [i], cancel, int.MaxValue);
        return escalations;
    }

    private int Pass(PrunedModel pm, ModelProto model, List<int> active, CancellationToken cancel, int images)
    {
        var graph = model.Graph;
        var index = WeightWriter.Index(graph);
        var cin = new int[plans.Count];
        var keptOut = new int[plans.Count][];
        var accs = new GramAccumulator?[plans.Count];
        float[] yk = [];
        try
        {
            foreach (int i in active)
            {
                var plan = plans[i];
                cin[i] = (int)graph.Initializer[index[plan.Layer.Weight]].Dims[plan.InAxis];
                keptOut[i] = plan.KeptOut(pm);
                accs[i] = engine.CreateAccumulator(cin[i] * plan.Area, keptOut[i].Length, plan.HasBias);
            }
            FeatureCollector.Run(model, plans, active, calib, session, batchSize, null, i => cin[i], (i, x, _, rows, start, count) =>
            {
                var plan = plans[i];
                var ko = keptOut[i];
                int m = ko.Length;
                if (yk.Length < rows * m) yk = new float[rows * m];
                var targets = plan.Targets.AsSpan(start * plan.RowsPerImage * plan.OutChannels, rows * plan.OutChannels);
                for (int r = 0; r < rows; r++)
                {
                    var src = targets.Slice(r * plan.OutChannels, plan.OutChannels);
                    var dst = yk.AsSpan(r * m, m);
                    for (int j = 0; j < m; j++) dst[j] = src[ko[j]];
                }
                accs[i]!.Add(x, yk.AsSpan(0, rows * m), rows);
            }, cancel, images);
            var problems = new List<LstsqProblem>();
            var owners = new List<(LayerPlan, int, int)>();
            foreach (int i in active)
            {
                var acc = accs[i]!;
                problems.Add(acc.Gather(Enumerable.Range(0, acc.Size).ToArray(), Enumerable.Range(0, acc.Rhs).ToArray(), plans[i].Layer.Name));
                owners.Add((plans[i], cin[i], keptOut[i].Length));
            }
            return Solve(problems, owners, graph, index);
        }
        finally
        {
            foreach (var a in accs) a?.Dispose();
        }
    }

    private int Solve(List<LstsqProblem> problems, List<(LayerPlan Plan, int Cin, int Cout)> owners, GraphProto graph, Dictionary<string, int> index)
    {
        if (problems.Count == 0) return 0;
        var results = engine.SolveBatch(problems, lstsq);
        for (int i = 0; i < results.Count; i++)
            WeightWriter.Write(graph, index, owners[i].Plan, results[i], owners[i].Cin, owners[i].Cout);
        return results.Sum(r => r.Escalations);
    }
}
