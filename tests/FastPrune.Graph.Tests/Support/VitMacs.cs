using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

/// <summary>Closed-form MACs per image of a timm ViT with per-block heads and MLP widths, written from the architecture.</summary>
internal static class VitMacs
{
    public static long Of(VitConfig c, IReadOnlyList<int> heads, IReadOnlyList<int> hidden)
    {
        long t = c.Tokens, d = c.Width, hd = c.HeadDim;
        long macs = (t - 1) * d * 3 * c.PatchSize * c.PatchSize + d * c.Classes;
        for (int b = 0; b < c.Depth; b++)
        {
            long inner = heads[b] * hd;
            macs += t * d * 3 * inner        // q, k, v projections
                + 2 * heads[b] * t * t * hd  // q·kᵀ and attn·v
                + t * inner * d              // proj
                + 2 * t * d * hidden[b];     // fc1 and fc2
        }
        return macs;
    }

    /// <summary>Heads and hidden widths from a ViT genome (heads, hidden per block, in block order).</summary>
    public static long Of(VitConfig c, int[] genome) =>
        Of(c, genome.Where((_, i) => i % 2 == 0).ToArray(), genome.Where((_, i) => i % 2 == 1).ToArray());
}
