namespace FastPrune.Evo;

/// <summary>
/// An ask–tell search: the caller asks for a batch of new genomes, evaluates them however it likes (cache,
/// GPU, checkpoint) and tells the objectives back. Randomness comes only from the seed, so equal seeds and equal
/// told objectives give equal batches; resuming is replaying the recorded history (see
/// <see cref="SearchReplay.Replay"/>).
/// </summary>
public interface ISearch
{
    /// <summary>The genes every genome follows.</summary>
    GenomeSpace Space { get; }

    /// <summary>The number of objectives each told record must carry.</summary>
    int ObjectiveCount { get; }

    /// <summary>Batches told so far after the initial one: 0 while the initial population is pending or just told.</summary>
    int Generation { get; }

    /// <summary>Distinct genomes told so far.</summary>
    int Evaluations { get; }

    /// <summary>True when the budget or the generations are spent or no unseen genome can be found.</summary>
    bool IsDone { get; }

    /// <summary>Every told record, in told order (within a batch, in the order <see cref="Ask"/> gave).</summary>
    IReadOnlyList<Evaluated> History { get; }

    /// <summary>
    /// The next batch of genomes never asked before; empty once <see cref="IsDone"/>. Until the batch is told,
    /// asking again returns the same batch, so a caller that lost it (a crash, a resume) can ask again.
    /// </summary>
    IReadOnlyList<int[]> Ask();

    /// <summary>Reports the objectives of the whole pending batch, in any order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> or an item, genome or objective array is null.</exception>
    /// <exception cref="ArgumentException">The genomes are not exactly the pending batch, or an objective array has the
    /// wrong length or a non-finite value.</exception>
    /// <exception cref="InvalidOperationException">No batch is pending (call <see cref="Ask"/> first).</exception>
    void Tell(IReadOnlyList<Evaluated> results);
}
