namespace FastPrune.Graph.Pruning;

/// <summary>How to choose which units of a group to keep once its count is fixed (paper section 3.3).</summary>
public enum SelectionMethod
{
    /// <summary>Seeded random units (the paper's default).</summary>
    Random,
    /// <summary>Units with the largest L1 norm, summed over every weight coupled to the group.</summary>
    L1,
}

/// <summary>Chooses the kept units of every gene.</summary>
public static class ChannelSelection
{
    /// <summary>Kept unit indices (ascending) per gene.</summary>
    /// <exception cref="GenomeException">The genome does not fit the genes.</exception>
    public static int[][] Select(PrunableStructure structure, IReadOnlyList<int> genome, SelectionMethod method, int seed)
    {
        ArgumentNullException.ThrowIfNull(structure);
        Genome.Validate(genome, structure.Genes);
        var kept = new int[genome.Count][];
        for (int g = 0; g < genome.Count; g++)
        {
            int max = structure.Genes[g].Max, count = genome[g];
            if (count == max) { kept[g] = Enumerable.Range(0, max).ToArray(); continue; }
            int[] order = method switch
            {
                SelectionMethod.L1 => ByL1(structure, g),
                _ => Shuffled(max, seed, g),
            };
            var chosen = order.Take(count).ToArray();
            Array.Sort(chosen);
            kept[g] = chosen;
        }
        return kept;
    }

    /// <summary>A random order of <paramref name="n"/> units: one stream per (seed, gene), distinct for every pair.</summary>
    private static int[] Shuffled(int n, int seed, int gene)
    {
        var rng = new Xoshiro256(((ulong)(uint)seed << 32) | (uint)gene);
        var a = Enumerable.Range(0, n).ToArray();
        rng.Shuffle(a.AsSpan());
        return a;
    }

    private static int[] ByL1(PrunableStructure s, int gene)
    {
        int root = s.GeneSpace[gene];
        var space = s.Roots[root];
        int units = (int)space.Units;
        var score = new double[units];
        foreach (var u in s.UsagesByRoot[root].Where(u => u.IsWeight))
        {
            var t = s.Index.Initializer(u.Initializer)!;
            var data = TensorData.Floats(t).Span;
            var dims = t.Dims;
            long inner = 1;
            for (int d = u.Axis + 1; d < dims.Count; d++) inner *= dims[d];
            long axisLen = dims[u.Axis], outer = data.Length / (axisLen * inner);
            for (int unit = 0; unit < units; unit++)
            {
                foreach (var idx in PrunableStructure.Expand(u, space, [unit]))
                    for (long o = 0; o < outer; o++)
                    {
                        var row = data.Slice((int)((o * axisLen + idx) * inner), (int)inner);
                        score[unit] += System.Numerics.Tensors.TensorPrimitives.SumOfMagnitudes(row);
                    }
            }
        }
        // Largest first; ties broken by index so the order is deterministic.
        return Enumerable.Range(0, units).OrderByDescending(i => score[i]).ThenBy(i => i).ToArray();
    }
}
