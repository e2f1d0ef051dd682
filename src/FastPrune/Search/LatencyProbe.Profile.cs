using System.Text.Json;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>Reading a probe's kernel times out of ONNX Runtime's profile (a JSON array of events, in order).</summary>
internal sealed partial class LatencyProbe
{
    /// <summary>Per layer k of a <see cref="Build(IReadOnlyList{LatencyLayer})"/> model, the least over the timed runs in
    /// ONNX Runtime's profile of the summed kernel time of its nodes (named with its prefix); null for a layer without
    /// such nodes or with a different number in some run.</summary>
    internal static double?[] KernelMsByLayer(string profilePath, int count)
    {
        var ms = Enumerable.Range(0, count).Select(_ => new List<double>()).ToArray();
        foreach (var (name, _, dur) in KernelEvents(profilePath))
        {
            if (name.Length < 3 || name[0] != 'L') continue;
            int end = name.IndexOf('_', StringComparison.Ordinal);
            if (end > 1 && int.TryParse(name.AsSpan(1, end - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) && k < count)
                ms[k].Add(dur);
        }
        return ms.Select(m => MinRun(m)).ToArray();
    }

    /// <summary>The least, over the timed runs recorded in ONNX Runtime's profile <paramref name="profilePath"/>, of the
    /// summed kernel time of the nodes whose op is <paramref name="op"/> (the layer itself, not the reorders around it).</summary>
    /// <exception cref="BenchmarkException">The profile does not hold the same number of such kernels in every run.</exception>
    internal static double KernelMs(string profilePath, string op)
    {
        var ms = KernelEvents(profilePath).Where(e => e.Op == op).Select(e => e.Ms).ToList();
        return MinRun(ms) ?? throw new BenchmarkException(BenchmarkFailure.ModelFailed,
            $"ONNX Runtime's profile holds {ms.Count} '{op}' kernel(s) for {Warmup + Rounds} runs of the layer", profilePath);
    }

    /// <summary>Node kernel events of a profile, in order: node name (without "_kernel_time"), op and milliseconds.</summary>
    private static List<(string Name, string Op, double Ms)> KernelEvents(string profilePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(profilePath));
        var events = new List<(string, string, double)>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.TryGetProperty("cat", out var cat) && cat.GetString() == "Node"
                && e.TryGetProperty("name", out var name) && name.GetString() is { } n && n.EndsWith("_kernel_time", StringComparison.Ordinal)
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o))
                events.Add((n[..^"_kernel_time".Length], o.GetString() ?? "", e.GetProperty("dur").GetDouble() / 1000));
        }
        return events;
    }

    /// <summary>The least per-run sum over the timed runs of one node set's kernel times (warm-up runs first, the same
    /// number of kernels in every run); null when they are missing or uneven.</summary>
    private static double? MinRun(List<double> ms)
    {
        const int runs = Warmup + Rounds;
        if (ms.Count == 0 || ms.Count % runs != 0) return null;
        int perRun = ms.Count / runs;
        return Enumerable.Range(Warmup, Rounds).Min(r => ms.Skip(r * perRun).Take(perRun).Sum());
    }
}
