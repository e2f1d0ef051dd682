namespace FastPrune.Evo;

/// <summary>
/// Batch sizes and budget shared by every search. The defaults are EAPruning's Table 1 (MobileNet-V1 and DeiT-Base):
/// an initial population of 64, 50 offspring per generation, 30 generations, 64 + 30·50 = 1564 evaluations.
/// </summary>
public record SearchOptions
{
    /// <summary>Size of the initial batch and of the population kept between generations (≥ 2).</summary>
    public int PopulationSize { get; init; } = 64;

    /// <summary>Genomes asked per generation after the initial batch (≥ 1).</summary>
    public int OffspringPerGeneration { get; init; } = 50;

    /// <summary>Offspring batches after the initial one (≥ 1).</summary>
    public int Generations { get; init; } = 30;

    /// <summary>The most distinct genomes ever asked; null means PopulationSize + Generations·OffspringPerGeneration.</summary>
    public int? Budget { get; init; }

    /// <summary>Genomes placed in the initial batch before random ones (e.g. uniform keep ratios); duplicates are dropped.
    /// At most <see cref="PopulationSize"/>.</summary>
    public IReadOnlyList<int[]> InitialGenomes { get; init; } = [];

    /// <summary>Attempts to turn a child that was already asked into an unseen one before giving up on it (≥ 1).</summary>
    public int MaxDuplicateTries { get; init; } = 64;

    /// <summary>The budget in effect.</summary>
    public int EffectiveBudget => Budget ?? checked(PopulationSize + Generations * OffspringPerGeneration);

    /// <summary>Throws if an option is out of range or an initial genome does not fit <paramref name="space"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, count or budget below its minimum.</exception>
    /// <exception cref="ArgumentNullException"><see cref="InitialGenomes"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">More initial genomes than <see cref="PopulationSize"/>, or one off the grid.</exception>
    public virtual void Validate(GenomeSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(PopulationSize, 2, nameof(PopulationSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(OffspringPerGeneration, 1, nameof(OffspringPerGeneration));
        ArgumentOutOfRangeException.ThrowIfLessThan(Generations, 1, nameof(Generations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDuplicateTries, 1, nameof(MaxDuplicateTries));
        if (Budget is { } b)
            ArgumentOutOfRangeException.ThrowIfLessThan(b, 1, nameof(Budget));
        ArgumentNullException.ThrowIfNull(InitialGenomes, nameof(InitialGenomes));
        if (InitialGenomes.Count > PopulationSize)
            throw new ArgumentException($"{InitialGenomes.Count} initial genomes exceed the population size {PopulationSize}.", nameof(InitialGenomes));
        foreach (var g in InitialGenomes)
            space.Validate(g, nameof(InitialGenomes));
    }
}
