namespace FastPrune.Evo;

/// <summary>The ordered genes of a genome; a genome is an <c>int[]</c> holding one grid value per gene.</summary>
public sealed class GenomeSpace
{
    private readonly IntGene[] _genes;

    /// <summary>Validates and captures the genes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="genes"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">No genes, a gene is invalid (see <see cref="IntGene.Validate"/>), or two genes share a name.</exception>
    public GenomeSpace(IEnumerable<IntGene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        _genes = genes.ToArray();
        if (_genes.Length == 0)
            throw new ArgumentException("A genome needs at least one gene.", nameof(genes));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in _genes)
        {
            if (g is null)
                throw new ArgumentNullException(nameof(genes), "A gene is null.");
            g.Validate();
            if (!names.Add(g.Name))
                throw new ArgumentException($"Two genes are named '{g.Name}'.", nameof(genes));
        }
        Size = _genes.Aggregate(1.0, (s, g) => s * g.Count);
    }

    /// <summary>The genes, in genome order.</summary>
    public IReadOnlyList<IntGene> Genes => _genes;

    /// <summary>The number of genes.</summary>
    public int Length => _genes.Length;

    /// <summary>The number of distinct genomes, as a double because it overflows any integer for real networks.</summary>
    public double Size { get; }

    /// <summary>Throws unless <paramref name="genome"/> has one on-grid value per gene.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="genome"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong length or a value off its gene's grid.</exception>
    public void Validate(int[] genome, string paramName = "genome")
    {
        ArgumentNullException.ThrowIfNull(genome, paramName);
        if (genome.Length != _genes.Length)
            throw new ArgumentException($"A genome has {genome.Length} values; the space has {_genes.Length} genes.", paramName);
        for (int i = 0; i < genome.Length; i++)
        {
            if (_genes[i].IndexOf(genome[i]) < 0)
            {
                var g = _genes[i];
                throw new ArgumentException($"Gene '{g.Name}' = {genome[i]} is not in {g.Min}..{g.Max} step {g.Step}.", paramName);
            }
        }
    }

    /// <summary>A genome drawn uniformly: each gene's grid index independently uniform.</summary>
    public int[] Sample(Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var genome = new int[_genes.Length];
        for (int i = 0; i < genome.Length; i++)
            genome[i] = _genes[i].ValueAt(rng.NextInt(0, _genes[i].Count));
        return genome;
    }
}
