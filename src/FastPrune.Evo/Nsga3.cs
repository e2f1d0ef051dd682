namespace FastPrune.Evo;

/// <summary>
/// NSGA-III (Deb and Jain 2014) over integer genomes, composed like pymoo's: sampling (seeds, then uniform),
/// binary tournament on non-domination rank, crossover, mutation, and <see cref="Nsga3Survival"/>. Every child is
/// new: one that was asked before is mutated again (then nudged one grid step, then replaced by a random genome)
/// until it is unseen.
/// </summary>
public sealed class Nsga3 : AskTellSearch
{
    private readonly Nsga3Options _options;
    private List<Evaluated> _population = [];
    private int[] _ranks = [];

    /// <summary>Creates the search.</summary>
    /// <param name="space">The genes.</param>
    /// <param name="objectiveCount">Objectives per told record (≥ 1; targets need ≥ 2).</param>
    /// <param name="options">Parts and settings.</param>
    /// <param name="rng">The only source of randomness: a fresh generator with the same seed replays the same search.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="Nsga3Options.Validate"/>; or <paramref name="objectiveCount"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">See <see cref="Nsga3Options.Validate"/>; or targets with one objective.</exception>
    public Nsga3(GenomeSpace space, int objectiveCount, Nsga3Options options, Xoshiro256StarStar rng)
        : base(space, objectiveCount, Checked(space, options).EffectiveBudget, options.Generations, rng)
    {
        _options = options;
        int partitions = options.Partitions > 0 ? options.Partitions : ReferenceDirections.PartitionsFor(objectiveCount, options.PopulationSize);
        Survival = new Nsga3Survival(ReferenceDirections.DasDennis(objectiveCount, partitions), options.Objective0Targets, options.ProtectedPerTarget,
            options.DirectionsPerTarget, options.TargetSpread);
    }

    private static Nsga3Options Checked(GenomeSpace space, Nsga3Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(space);
        return options;
    }

    /// <summary>The survival part, with its normalisation state.</summary>
    public Nsga3Survival Survival { get; }

    /// <summary>The current population (the survivors of the last told batch).</summary>
    public IReadOnlyList<Evaluated> Population => _population;

    /// <inheritdoc/>
    protected override IReadOnlyList<int[]> InitialBatch(int room) =>
        SeededBatch(_options.InitialGenomes, Math.Min(_options.PopulationSize, room), _options.MaxDuplicateTries);

    /// <inheritdoc/>
    protected override IReadOnlyList<int[]> NextBatch(int room)
    {
        int count = Math.Min(_options.OffspringPerGeneration, room);
        var batch = new List<int[]>(count);
        int n = Space.Length;
        var childA = new int[n];
        var childB = new int[n];
        while (batch.Count < count)
        {
            var a = _population[Tournament()].Genome;
            var b = _population[Tournament()].Genome;
            _options.Crossover.Cross(Space, a, b, childA, childB, Rng);
            foreach (var child in (int[][])[childA, childB])
            {
                if (batch.Count == count)
                    break;
                var fresh = Unseen((int[])child.Clone());
                if (fresh is null)
                    return batch;   // the space is (nearly) exhausted: a shorter batch, and IsDone follows
                batch.Add(fresh);
            }
        }
        return batch;
    }

    /// <inheritdoc/>
    protected override void Learn(IReadOnlyList<Evaluated> batch)
    {
        var merged = _population.Concat(batch).ToList();
        var survivors = Survival.Select(merged.Select(e => e.Objectives).ToList(), _options.PopulationSize, Rng, out var ranks);
        _population = survivors.Select(i => merged[i]).ToList();
        _ranks = survivors.Select(i => ranks[i]).ToArray();
    }

    /// <summary>Binary tournament: the lower non-domination rank wins, a tie is a coin toss.</summary>
    private int Tournament()
    {
        int i = Rng.NextInt(0, _population.Count), j = Rng.NextInt(0, _population.Count);
        if (_ranks[i] != _ranks[j])
            return _ranks[i] < _ranks[j] ? i : j;
        return Rng.NextDouble() < 0.5 ? i : j;
    }

    /// <summary>Mutates <paramref name="child"/> and returns it once it was never asked, or null if that fails.</summary>
    private int[]? Unseen(int[] child)
    {
        int tries = _options.MaxDuplicateTries;
        _options.Mutation.Mutate(Space, child, Rng);
        for (int t = 0; t < tries; t++)
        {
            if (TryAdmit(child))
                return child;
            if (t < tries / 2)
            {
                _options.Mutation.Mutate(Space, child, Rng);
            }
            else
            {
                // The mutation keeps landing on known genomes (a dense archive near the front): a single grid step
                // still moves somewhere new while staying close to the parents.
                int i = Rng.NextInt(0, child.Length);
                var g = Space.Genes[i];
                int k = g.IndexOf(child[i]) + (Rng.NextDouble() < 0.5 ? -1 : 1);
                child[i] = g.ValueAt(Math.Clamp(k, 0, g.Count - 1));
            }
        }
        return SampleUnseen(tries);
    }
}
