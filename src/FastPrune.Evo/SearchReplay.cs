namespace FastPrune.Evo;

/// <summary>Resuming a search by replaying its recorded history through <see cref="ISearch.Ask"/> and <see cref="ISearch.Tell"/>.</summary>
public static class SearchReplay
{
    /// <summary>
    /// Feeds <paramref name="history"/> (as recorded from an earlier run with the same seed and options) back batch by
    /// batch, checking that each batch asked is the one recorded. A trailing partial batch is not told: the search is
    /// left with that batch pending, and the caller asks for it and evaluates only the genomes it has no record of.
    /// </summary>
    /// <returns>How many records were told.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The search has already been told something, or the history diverges from
    /// what the search asks (a different seed, options or objective values).</exception>
    public static int Replay(this ISearch search, IReadOnlyList<Evaluated> history)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(history);
        if (search.Evaluations != 0)
            throw new InvalidOperationException("Replay needs a fresh search.");
        int used = 0;
        while (used < history.Count)
        {
            var batch = search.Ask();
            if (batch.Count == 0)
                throw new InvalidOperationException($"The search is done after {used} records but the history has {history.Count}.");
            var asked = new HashSet<int[]>(batch, GenomeComparer.Instance);
            int take = Math.Min(batch.Count, history.Count - used);
            for (int i = used; i < used + take; i++)
            {
                if (!asked.Contains(history[i].Genome))
                    throw new InvalidOperationException($"History record {i} [{string.Join(',', history[i].Genome)}] is not what the search asks: seed, options or objectives differ.");
            }
            if (take < batch.Count)
                break;
            search.Tell(history.Skip(used).Take(take).ToArray());
            used += take;
        }
        return used;
    }
}
