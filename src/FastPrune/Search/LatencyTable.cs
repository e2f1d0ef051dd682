using System.Text.Json;
using FastPrune.Graph;

namespace FastPrune.Search;

/// <summary>
/// A per-layer latency table (HALP's idea, on the engine the model will run on): milliseconds per
/// <see cref="LatencyLayer.Key"/>, each configuration timed once and kept. A network's predicted latency is the
/// <see cref="LatencyFit"/> of the sum of its layers' entries. The table is saved as JSON with its
/// <see cref="LatencyTableKey"/>; a file made under another key (engine, batch, threads, runtime, machine) is not used.
/// </summary>
internal sealed class LatencyTable
{
    private readonly Dictionary<string, double> _ms;

    /// <summary>Configurations <see cref="Fill"/> timed that no lookup has met yet: the first lookup of each is its miss.</summary>
    private readonly HashSet<string> _unread = new(StringComparer.Ordinal);

    /// <summary>What the entries were timed on.</summary>
    public LatencyTableKey Key { get; }

    /// <summary>The calibration of this table for one model, once fitted (stored with a run's copy).</summary>
    public LatencyFit? Fit { get; set; }

    /// <summary>Configurations timed.</summary>
    public int Count => _ms.Count;

    /// <summary>Lookups answered from the table since it was opened.</summary>
    public int Hits { get; private set; }

    /// <summary>Lookups that had to time a layer since it was opened.</summary>
    public int Misses { get; private set; }

    /// <summary>An empty table for <paramref name="key"/>.</summary>
    public LatencyTable(LatencyTableKey key) : this(key, new Dictionary<string, double>(StringComparer.Ordinal), null) { }

    private LatencyTable(LatencyTableKey key, Dictionary<string, double> ms, LatencyFit? fit)
    {
        ArgumentNullException.ThrowIfNull(key);
        (Key, _ms, Fit) = (key, ms, fit);
    }

    /// <summary>Every entry: configuration key and milliseconds.</summary>
    public IEnumerable<KeyValuePair<string, double>> Entries => _ms;

    /// <summary>Adds an entry timed elsewhere (another table under the same key) unless the key is already timed here.</summary>
    /// <exception cref="ArgumentException"><paramref name="ms"/> is not a finite non-negative number.</exception>
    public void Add(string key, double ms)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!(ms >= 0) || double.IsInfinity(ms)) throw new ArgumentException($"layer timing {ms} ms is not a duration", nameof(ms));
        _ms.TryAdd(key, ms);
    }

    /// <summary>The entry of <paramref name="key"/>, if timed.</summary>
    public bool TryGet(string key, out double ms) => _ms.TryGetValue(key, out ms);

    /// <summary>The sum of the entries of <paramref name="layers"/>, timing (with <paramref name="time"/>) and storing each
    /// configuration not yet in the table, once.</summary>
    /// <exception cref="ArgumentException"><paramref name="time"/> returned a value that is not a finite non-negative number.</exception>
    /// <param name="layers">The configurations to sum.</param>
    /// <param name="time">Times one configuration.</param>
    /// <param name="timeMany">When given, times every missing configuration at once first (in order, one value each).</param>
    public double Sum(IEnumerable<LatencyLayer> layers, Func<LatencyLayer, double> time, Func<IReadOnlyList<LatencyLayer>, IReadOnlyList<double>>? timeMany = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(time);
        var list = layers as IReadOnlyList<LatencyLayer> ?? layers.ToList();
        // Timed all at once first; the sum then meets each of them as its miss.
        if (timeMany is not null) Fill(list, timeMany);
        return list.Sum(l => Entry(l, time));
    }

    /// <summary>Times (all at once, with <paramref name="timeMany"/>) and stores the configurations of
    /// <paramref name="layers"/> the table lacks, without summing: a search times a generation's new layers together,
    /// before it predicts the subnets one by one. Returns how many were timed.</summary>
    /// <exception cref="ArgumentException"><paramref name="timeMany"/> returned the wrong number of values or one that is not a duration.</exception>
    public int Fill(IEnumerable<LatencyLayer> layers, Func<IReadOnlyList<LatencyLayer>, IReadOnlyList<double>> timeMany)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(timeMany);
        var missing = layers.Where(l => !_ms.ContainsKey(l.Key)).DistinctBy(l => l.Key).ToList();
        if (missing.Count == 0) return 0;
        var ms = timeMany(missing);
        if (ms.Count != missing.Count) throw new ArgumentException($"{ms.Count} timings for {missing.Count} layers", nameof(timeMany));
        for (int i = 0; i < missing.Count; i++)
        {
            _ms[missing[i].Key] = Duration(ms[i], nameof(timeMany));
            _unread.Add(missing[i].Key);
        }
        return missing.Count;
    }

    private static double Duration(double ms, string source) =>
        ms >= 0 && !double.IsInfinity(ms) ? ms : throw new ArgumentException($"layer timing {ms} ms is not a duration", source);

    private double Entry(LatencyLayer layer, Func<LatencyLayer, double> time)
    {
        if (_ms.TryGetValue(layer.Key, out double ms))
        {
            if (_unread.Remove(layer.Key)) Misses++;
            else Hits++;
            return ms;
        }
        ms = Duration(time(layer), nameof(time));
        _ms[layer.Key] = ms;
        Misses++;
        return ms;
    }

    /// <summary>Writes the table atomically (a temporary file in the folder, then renamed).</summary>
    public void Save(string path) =>
        AtomicFile.WriteText(path, JsonSerializer.Serialize(new Stored(Key, Fit, new SortedDictionary<string, double>(_ms, StringComparer.Ordinal))));

    /// <summary>The table in <paramref name="path"/> when it was made under <paramref name="key"/>; an empty one when the
    /// file does not exist or holds another key (its entries were timed on something else).</summary>
    /// <exception cref="CheckpointException">The file exists but is not a latency table (corrupt, or a negative entry).</exception>
    public static LatencyTable Load(string path, LatencyTableKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var stored = Read(path);
        return stored is null || stored.Key != key ? new LatencyTable(key)
            : new LatencyTable(key, new Dictionary<string, double>(stored.Ms, StringComparer.Ordinal), stored.Fit);
    }

    /// <summary>The table in <paramref name="path"/> whatever its key: a run folder's own copy, which a resumed run must use as is.</summary>
    /// <exception cref="CheckpointException">The file is missing or not a latency table.</exception>
    public static LatencyTable LoadExact(string path)
    {
        var stored = Read(path) ?? throw new CheckpointException($"{path}: missing; the run's predicted latencies cannot be resumed");
        return new LatencyTable(stored.Key, new Dictionary<string, double>(stored.Ms, StringComparer.Ordinal), stored.Fit);
    }

    private static Stored? Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return null;
        try
        {
            var s = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path));
            if (s?.Key is null || s.Ms is null) throw new JsonException("no key or entries");
            if (s.Ms.FirstOrDefault(e => !(e.Value >= 0) || double.IsInfinity(e.Value)) is { Key: not null } bad)
                throw new JsonException($"entry '{bad.Key}' is {bad.Value} ms");
            return s;
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: corrupt latency table ({e.Message.Split(". Path")[0]})");
        }
    }

    private sealed record Stored(LatencyTableKey Key, LatencyFit? Fit, IDictionary<string, double> Ms);
}
