namespace FastPrune.Cluster;

/// <summary>
/// The workers a coordinator does not send work to for now: one that failed or outlived the dispatch timeout sits out
/// for a back-off that doubles with each failure in a row (<c>base · 2^(k−1)</c>, at most <see cref="MaxDoublings"/>
/// doublings), across generations; when it is over the worker gets one genome again (a probe), and a worker that
/// answers — the probe, or the late reply to the call that timed out — is re-admitted with a clean record. A stalled
/// worker therefore costs one timeout per back-off rather than one per generation. Thread-safe: late replies arrive on
/// Orleans' continuations.
/// </summary>
internal sealed class WorkerBench(TimeSpan backoff, TimeProvider? clock = null)
{
    /// <summary>The back-off stops doubling after this many failures in a row (base · 16).</summary>
    public const int MaxDoublings = 4;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Strikes, DateTimeOffset Until)> _benched = new(StringComparer.Ordinal);

    /// <summary>Benches <paramref name="silo"/> after a failure; returns how long it sits out.</summary>
    public TimeSpan Strike(string silo)
    {
        lock (_gate)
        {
            int strikes = (_benched.TryGetValue(silo, out var b) ? b.Strikes : 0) + 1;
            var wait = backoff * (1 << Math.Min(strikes - 1, MaxDoublings));
            _benched[silo] = (strikes, _clock.GetUtcNow() + wait);
            return wait;
        }
    }

    /// <summary>Takes <paramref name="silo"/> off the bench (it answered); true when it was on it.</summary>
    public bool Readmit(string silo)
    {
        lock (_gate) return _benched.Remove(silo);
    }

    /// <summary>Whether <paramref name="silo"/> sits out now (its back-off is not over).</summary>
    public bool IsBenched(string silo)
    {
        lock (_gate) return _benched.TryGetValue(silo, out var b) && _clock.GetUtcNow() < b.Until;
    }
}
