using FastPrune.Evo;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>The first population of a search: uniform genomes, and aligned ones for a latency run.</summary>
internal static partial class SearchRun
{
    /// <summary>
    /// Uniform pruning with reconstruction is a strong baseline, so the first population holds it:
    /// uniform keep-ratios over a range, plus for every target the uniform genome whose cost is just under it.
    /// </summary>
    internal static IEnumerable<int[]> UniformSeeds(GenomeSpace space, CalibratedModel calibrated, RunOptions o)
    {
        var seen = new HashSet<int[]>(GenomeComparer.Instance);
        int[] Snap(double ratio) => space.Genes.Select(g => g.Snap((ratio * g.Max - g.Min) / g.Step)).ToArray();
        // Latency is only known by measuring: its seeds are the uniform genomes at the same fractions of the MACs.
        double Cost(int[] genome) => o.Objective.Counted(GenomeCost.Of(calibrated.Structure, genome));
        double original = o.Objective.Counted(calibrated.OriginalCost);
        var seeds = new List<int[]>();
        foreach (var t in o.Targets)
            seeds.Add(Snap(UniformRatio.LargestUnder(r => Cost(Snap(r)), t * original)));
        for (double r = 1.0; r >= 0.2; r -= 0.1) seeds.Add(Snap(r));
        // A latency run on an engine with a blocked layout also starts from uniform genomes with every width a multiple of
        // the block: ONNX Runtime CPU pads other widths up to it, so they cost nearly as much, and widths drawn at random
        // almost never land on it; from these the search can keep aligned widths where the latency table says they pay.
        int block = o.Objective == CostObjective.Latency ? OrtNchwcBlock.Of(o.BenchEngine ?? InferenceEngine.OrtCpu) : 0;
        if (block > 1)
        {
            for (double r = 1.0; r >= 0.2; r -= 0.1)
                seeds.Add(space.Genes.Select((g, i) => Aligned(g, calibrated.Structure.RoundedStep(i, block), r)).ToArray());
        }
        foreach (var s in seeds)
            if (seen.Add(s))
                yield return s;
    }

    /// <summary>The multiple of <paramref name="step"/> (the gene's units per block of channels) nearest
    /// <paramref name="ratio"/> of its maximum, at least one step; the plain uniform value when the gene's grid lacks it.</summary>
    private static int Aligned(IntGene g, int step, double ratio)
    {
        int v = Math.Clamp((int)Math.Round(ratio * g.Max / step, MidpointRounding.AwayFromZero) * step, step, g.Max);
        return g.IndexOf(v) >= 0 ? v : g.Snap((ratio * g.Max - g.Min) / g.Step);
    }
}
