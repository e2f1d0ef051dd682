using System.Globalization;
using FastPrune.Pipeline;

namespace FastPrune.Search;

/// <summary>
/// The last step of a latency-objective run for one target: a latency the search measured once may have been a
/// lucky draw on a busy machine, so each candidate (most accurate first) is re-measured against the original before
/// it is written, and the first whose latency meets the target becomes <c>pruned-&lt;target&gt;.onnx</c>.
/// </summary>
internal static class LatencyCheck
{
    /// <summary>Writes the most accurate candidate whose re-measured latency ratio is at most <paramref name="target"/>.</summary>
    /// <param name="candidates">Reconstructed candidates, most accurate first, each with its model.</param>
    /// <param name="path">The file to write (atomically: a temporary file in its folder, then renamed).</param>
    /// <param name="target">The latency fraction of the original.</param>
    /// <param name="meter">The run's meter (the original stays loaded in it).</param>
    /// <param name="warnings">Receives a note when no candidate meets the target.</param>
    /// <param name="cancel">Checked between timed runs.</param>
    /// <returns>The candidates from the written one on, and its measured ratio; an empty list when none met the target (nothing written).</returns>
    public static (List<(HistoryRow Row, SubnetResult Result)> From, double? Ratio) Verify(List<(HistoryRow Row, SubnetResult Result)> candidates,
        string path, double target, LatencyMeter meter, List<string> warnings, CancellationToken cancel)
    {
        double bestRatio = double.PositiveInfinity;
        for (int i = 0; i < candidates.Count; i++)
        {
            string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            try
            {
                candidates[i].Result.Model!.Save(tmp);
                double ratio = meter.CheckRatio(tmp, candidates[i].Result.Model!, cancel);
                if (ratio <= target)
                {
                    File.Move(tmp, path, overwrite: true);
                    return (candidates.Skip(i).ToList(), ratio);
                }
                bestRatio = Math.Min(bestRatio, ratio);
            }
            finally
            {
                if (File.Exists(tmp)) File.Delete(tmp);
            }
        }
        warnings.Add(meter.ChecksByPrediction
            ? string.Create(CultureInfo.InvariantCulture,
                $"no model written for latency target {target:F2}: predicted by the latency table, the best of {candidates.Count} candidate(s) runs at {bestRatio:F2} of the original's latency")
            : string.Create(CultureInfo.InvariantCulture,
                $"no model written for latency target {target:F2}: re-measured against the original, the best of {candidates.Count} candidate(s) ran at {bestRatio:F2} of its latency"));
        return ([], null);
    }
}
