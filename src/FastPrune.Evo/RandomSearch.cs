namespace FastPrune.Evo;

/// <summary>
/// The baseline NSGA-III must beat (EAPruning §4.6): the same batches and budget, every genome drawn uniformly
/// (after the same optional seeds), never one asked before.
/// </summary>
public sealed class RandomSearch : AskTellSearch
{
    private readonly SearchOptions _options;

    /// <summary>Creates the search.</summary>
    /// <param name="space">The genes.</param>
    /// <param name="objectiveCount">Objectives per told record (≥ 1).</param>
    /// <param name="options">Batch sizes, budget and seeds; a <see cref="Nsga3Options"/> works too (its NSGA-III parts are ignored).</param>
    /// <param name="rng">The only source of randomness.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="SearchOptions.Validate"/>; or <paramref name="objectiveCount"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">See <see cref="SearchOptions.Validate"/>.</exception>
    public RandomSearch(GenomeSpace space, int objectiveCount, SearchOptions options, Xoshiro256StarStar rng)
        : base(space, objectiveCount, Checked(space, options).EffectiveBudget, options.Generations, rng) =>
        _options = options;

    private static SearchOptions Checked(GenomeSpace space, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(space);
        return options;
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<int[]> InitialBatch(int room) =>
        SeededBatch(_options.InitialGenomes, Math.Min(_options.PopulationSize, room), _options.MaxDuplicateTries);

    /// <inheritdoc/>
    protected override IReadOnlyList<int[]> NextBatch(int room) =>
        SeededBatch([], Math.Min(_options.OffspringPerGeneration, room), _options.MaxDuplicateTries);

    /// <inheritdoc/>
    protected override void Learn(IReadOnlyList<Evaluated> batch) { }
}
