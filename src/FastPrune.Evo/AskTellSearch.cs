namespace FastPrune.Evo;

/// <summary>
/// The bookkeeping every <see cref="ISearch"/> shares: the pending batch, the archive of every genome ever asked
/// (so none is asked twice), the told history, the budget and the generation count. A subclass only proposes
/// batches and learns from told ones.
/// </summary>
public abstract class AskTellSearch : ISearch
{
    private readonly HashSet<int[]> _archive = new(GenomeComparer.Instance);
    private readonly List<Evaluated> _history = [];
    private int[][]? _pending;
    private bool _initialTold;
    private bool _exhausted;

    /// <summary>Sets up the bookkeeping.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="space"/> or <paramref name="rng"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="objectiveCount"/>, <paramref name="budget"/> or
    /// <paramref name="generations"/> &lt; 1.</exception>
    protected AskTellSearch(GenomeSpace space, int objectiveCount, int budget, int generations, Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(objectiveCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(generations, 1);
        Space = space;
        ObjectiveCount = objectiveCount;
        Budget = budget;
        Generations = generations;
        Rng = rng;
    }

    /// <inheritdoc/>
    public GenomeSpace Space { get; }

    /// <inheritdoc/>
    public int ObjectiveCount { get; }

    /// <summary>The most distinct genomes that will be asked.</summary>
    public int Budget { get; }

    /// <summary>The most offspring batches after the initial one.</summary>
    public int Generations { get; }

    /// <summary>The only source of randomness.</summary>
    protected Xoshiro256StarStar Rng { get; }

    /// <inheritdoc/>
    public int Generation { get; private set; }

    /// <inheritdoc/>
    public int Evaluations => _history.Count;

    /// <inheritdoc/>
    public IReadOnlyList<Evaluated> History => _history;

    /// <inheritdoc/>
    public bool IsDone => _pending is null &&
        (_exhausted || Evaluations >= Budget || (_initialTold && Generation >= Generations) || _archive.Count >= Space.Size);

    /// <inheritdoc/>
    public IReadOnlyList<int[]> Ask()
    {
        if (_pending is not null)
            return Copy(_pending);
        if (IsDone)
            return [];
        int room = Budget - Evaluations;
        var batch = _initialTold ? NextBatch(room) : InitialBatch(room);
        if (batch.Count == 0)
        {
            _exhausted = true;
            return [];
        }
        _pending = batch.ToArray();
        return Copy(_pending);
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Evaluated> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var pending = _pending ?? throw new InvalidOperationException("No batch is pending: call Ask first.");
        var slot = new Dictionary<int[], int>(GenomeComparer.Instance);
        for (int i = 0; i < pending.Length; i++)
            slot[pending[i]] = i;
        var ordered = new Evaluated?[pending.Length];
        foreach (var r in results)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(results));
            ArgumentNullException.ThrowIfNull(r.Genome, nameof(results));
            ArgumentNullException.ThrowIfNull(r.Objectives, nameof(results));
            if (!slot.TryGetValue(r.Genome, out int i))
                throw new ArgumentException($"Genome [{string.Join(',', r.Genome)}] is not in the pending batch.", nameof(results));
            if (ordered[i] is not null)
                throw new ArgumentException($"Genome [{string.Join(',', r.Genome)}] is told twice.", nameof(results));
            if (r.Objectives.Length != ObjectiveCount)
                throw new ArgumentException($"A result has {r.Objectives.Length} objectives; {ObjectiveCount} are expected.", nameof(results));
            if (r.Objectives.Any(v => !double.IsFinite(v)))
                throw new ArgumentException("Objectives must be finite (give a failed genome a large penalty instead).", nameof(results));
            // Copies, so a caller reusing its arrays cannot change the search's state behind its back.
            ordered[i] = new Evaluated((int[])pending[i].Clone(), (double[])r.Objectives.Clone());
        }
        if (results.Count != pending.Length)
            throw new ArgumentException($"{results.Count} results told for a batch of {pending.Length}.", nameof(results));
        var batch = ordered.Select(e => e!).ToArray();
        _history.AddRange(batch);
        _pending = null;
        if (_initialTold)
            Generation++;
        _initialTold = true;
        Learn(batch);
    }

    /// <summary>Proposes the first batch (at most <paramref name="room"/> genomes, each admitted with <see cref="TryAdmit"/>).</summary>
    protected abstract IReadOnlyList<int[]> InitialBatch(int room);

    /// <summary>Proposes a later batch (at most <paramref name="room"/> genomes, each admitted with <see cref="TryAdmit"/>).</summary>
    protected abstract IReadOnlyList<int[]> NextBatch(int room);

    /// <summary>Takes in a told batch, in asked order.</summary>
    protected abstract void Learn(IReadOnlyList<Evaluated> batch);

    /// <summary>Records <paramref name="genome"/> as asked unless it was asked before; true when it is new.</summary>
    protected bool TryAdmit(int[] genome) => _archive.Add(genome);

    /// <summary>True when <paramref name="genome"/> was asked before.</summary>
    protected bool WasAsked(int[] genome) => _archive.Contains(genome);

    /// <summary>True when every genome of the space has been asked.</summary>
    protected bool SpaceExhausted => _archive.Count >= Space.Size;

    /// <summary>A uniformly random genome never asked before, or null after <paramref name="tries"/> collisions.</summary>
    protected int[]? SampleUnseen(int tries)
    {
        for (int t = 0; t < tries && !SpaceExhausted; t++)
        {
            var g = Space.Sample(Rng);
            if (TryAdmit(g))
                return g;
        }
        return SpaceExhausted || Space.Size > ScanLimit ? null : ScanUnseen();
    }

    /// <summary>Spaces up to this size are scanned for an unseen genome when random draws keep colliding, so a
    /// nearly exhausted small space still gets every genome asked; larger ones practically never collide that often.</summary>
    private const double ScanLimit = 1 << 20;

    private int[] ScanUnseen()
    {
        // Walk the mixed-radix enumeration of the space from a random start; one exists since the space is not exhausted.
        long size = (long)Space.Size, start = (long)Rng.NextBelow((ulong)size);
        for (long step = 0; step < size; step++)
        {
            long code = (start + step) % size;
            var g = new int[Space.Length];
            for (int i = 0; i < g.Length; i++)
            {
                var gene = Space.Genes[i];
                g[i] = gene.ValueAt((int)(code % gene.Count));
                code /= gene.Count;
            }
            if (TryAdmit(g))
                return g;
        }
        throw new InvalidOperationException("Unreachable: the archive is smaller than the space but holds every genome.");
    }

    /// <summary>The caller's seeds that were not asked before, then unseen random genomes, up to <paramref name="count"/>.</summary>
    protected List<int[]> SeededBatch(IReadOnlyList<int[]> seeds, int count, int tries)
    {
        var batch = new List<int[]>(count);
        foreach (var s in seeds)
        {
            if (batch.Count == count)
                break;
            var g = (int[])s.Clone();
            if (TryAdmit(g))
                batch.Add(g);
        }
        while (batch.Count < count && SampleUnseen(tries) is { } g)
            batch.Add(g);
        return batch;
    }

    private static int[][] Copy(int[][] batch) => batch.Select(g => (int[])g.Clone()).ToArray();
}
