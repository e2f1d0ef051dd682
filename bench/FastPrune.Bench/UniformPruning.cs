using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Search;

namespace FastPrune.Bench;

/// <summary>Uniform pruning (every gene at the same keep-ratio) at a MAC budget, for the Table 6 baseline.</summary>
public static class UniformPruning
{
    /// <summary>
    /// The uniform keep-ratio whose pruned model's MACs are closest to <paramref name="targetMacs"/>, found by
    /// bisection (MACs grow with the ratio, in steps where gene counts round), and that model with L1 selection.
    /// Genes follow the structure's step, so <c>PrunableStructure.Analyze(model, step: 8)</c> gives counts
    /// that are multiples of 8 (at least 8, or the full width).
    /// </summary>
    public static (double Ratio, OnnxModel Model) ClosestToMacs(PrunableStructure structure, double targetMacs)
    {
        // The search's bisection, from 0 and 14 steps deep, keeping the visited model nearest to the target on either side.
        (double Ratio, OnnxModel Model, double Gap) best = (1.0, structure.Model, double.PositiveInfinity);
        UniformRatio.LargestUnder(ratio =>
        {
            var model = Prune(structure, ratio);
            long macs = ModelCost.Compute(model).Macs;
            double gap = Math.Abs(macs - targetMacs);
            if (gap < best.Gap) best = (ratio, model, gap);
            return macs;
        }, targetMacs, low: 0, steps: 14);
        return (best.Ratio, best.Model);
    }

    /// <summary>The largest uniform keep-ratio whose pruned model has at most <paramref name="targetMacs"/> MACs (the search's bisection).</summary>
    public static double RatioUnder(PrunableStructure structure, double targetMacs) =>
        UniformRatio.LargestUnder(ratio => GenomeCost.Of(structure, Genome.Uniform(structure.Genes, ratio)).Macs, targetMacs);

    /// <summary>Every gene at <paramref name="ratio"/> of its width, the units with the largest L1 norms kept.</summary>
    public static OnnxModel Prune(PrunableStructure structure, double ratio)
    {
        return PrunedSubnet.Build(structure, Genome.Uniform(structure.Genes, ratio), SelectionMethod.L1, seed: 0).Model;
    }
}
