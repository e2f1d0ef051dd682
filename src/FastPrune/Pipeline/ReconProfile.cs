using System.Diagnostics;

namespace FastPrune.Pipeline;

/// <summary>
/// Process CPU seconds and wall seconds spent in each part of a sequential reconstruction pass (segment sessions,
/// ONNX Runtime runs, frontier stores, sampling, solves, garbage collection), summed over the process's life. The scale
/// benchmark prints them to find what dominates; the counters cost two clock reads per part, per batch or stage.
/// </summary>
internal static class ReconProfile
{
    private static readonly Dictionary<string, (double Cpu, double Wall, long Count)> Totals = new(StringComparer.Ordinal);

    /// <summary>Starts timing <paramref name="part"/>; dispose the result to add the elapsed time.</summary>
    public static Scope Time(string part) => new(part, Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.GetTimestamp());

    /// <summary>The totals so far, by part.</summary>
    public static IReadOnlyDictionary<string, (double Cpu, double Wall, long Count)> Snapshot()
    {
        lock (Totals) return new Dictionary<string, (double, double, long)>(Totals);
    }

    /// <summary>Forgets the totals.</summary>
    public static void Reset()
    {
        lock (Totals) Totals.Clear();
    }

    /// <summary>One timed part.</summary>
    public readonly struct Scope(string part, TimeSpan cpu, long start) : IDisposable
    {
        /// <summary>Adds the elapsed CPU and wall time to the part's totals.</summary>
        public void Dispose()
        {
            double c = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            double w = Stopwatch.GetElapsedTime(start).TotalSeconds;
            lock (Totals)
            {
                var t = Totals.GetValueOrDefault(part);
                Totals[part] = (t.Cpu + c, t.Wall + w, t.Count + 1);
            }
        }
    }
}
