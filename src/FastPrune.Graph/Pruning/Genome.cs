using System.Globalization;

namespace FastPrune.Graph.Pruning;

/// <summary>Parses and checks genomes: one count per gene.</summary>
public static class Genome
{
    /// <summary>
    /// Parses <c>max</c> (every gene at its maximum), a keep-ratio such as <c>0.5</c> applied to every
    /// gene (rounded to the gene's step, at least its min), or a comma list of counts in gene order.
    /// </summary>
    /// <param name="text">The genome.</param>
    /// <param name="genes">The model's genes, which counts are checked against.</param>
    /// <param name="ratioGrid">Where a keep-ratio places its counts: the genes on a coarser grid
    /// (<see cref="PrunableStructure.RoundedGenes"/>); null: <paramref name="genes"/>.</param>
    /// <exception cref="GenomeException">The text is not a genome for these genes.</exception>
    public static int[] Parse(string text, IReadOnlyList<Gene> genes, IReadOnlyList<Gene>? ratioGrid = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(genes);
        text = text.Trim();
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase))
            return genes.Select(g => g.Max).ToArray();
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        // One token is a keep-ratio (1, 0.5, 5e-1 …) unless it is a whole number above 1 or the model has exactly one
        // gene: then it is a list of one count.
        bool count = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int single) && (single > 1 || genes.Count == 1);
        if (parts.Length == 1 && !count)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
                throw new GenomeException($"genome '{text}': {Forms(genes.Count)}");
            if (!(r > 0 && r <= 1))
                throw new GenomeException($"genome '{text}': a keep-ratio must be a number in (0, 1], such as 0.5 or 1");
            return Uniform(ratioGrid ?? genes, r);
        }
        if (parts.Length != genes.Count)
            throw new GenomeException($"genome has {parts.Length} counts but the model has {genes.Count} genes; {Forms(genes.Count)}");
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out counts[i]))
                throw new GenomeException($"genome count {i + 1} ('{parts[i]}') is not an integer");
        }
        Validate(counts, genes);
        return counts;
    }

    private static string Forms(int genes) =>
        $"a genome is 'max', a keep-ratio in (0, 1] for every gene (0.5, 5e-1, 1), or {genes} comma-separated channel counts in gene order";

    /// <summary>Every gene at <paramref name="ratio"/> of its maximum, on its step grid, at least its min.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is not in (0, 1].</exception>
    public static int[] Uniform(IReadOnlyList<Gene> genes, double ratio)
    {
        ArgumentNullException.ThrowIfNull(genes);
        if (!(ratio > 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "keep-ratio must be in (0, 1]");
        return genes.Select(g => g.Nearest(ratio * g.Max)).ToArray();
    }

    /// <summary>Checks one count per gene, each allowed by its gene.</summary>
    /// <exception cref="GenomeException">A count is missing, out of range, or off the step grid.</exception>
    public static void Validate(IReadOnlyList<int> counts, IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(genes);
        if (counts.Count != genes.Count)
            throw new GenomeException($"genome has {counts.Count} counts but the model has {genes.Count} genes");
        for (int i = 0; i < counts.Count; i++)
        {
            var g = genes[i];
            if (counts[i] <= 0)
                throw new GenomeException($"gene {i + 1} ({g.Name}): count {counts[i]} would remove every {g.KindName} unit of the group");
            if (!g.Allows(counts[i]))
                throw new GenomeException($"gene {i + 1} ({g.Name}): count {counts[i]} is outside {g.Min}..{g.Max} step {g.Step}");
        }
    }
}
