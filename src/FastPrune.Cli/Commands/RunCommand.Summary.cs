using FastPrune.Search;

namespace FastPrune.Cli.Commands;

/// <summary>What <c>fastprune run</c> prints once the run is done: notes, the written models, what the latency table cost
/// and where the outputs are.</summary>
internal static partial class RunCommand
{
    private static void Summarise(CliIo io, RunResult r)
    {
        foreach (var w in r.Warnings) io.Err.WriteLine($"fastprune: note: {w}");
        io.Out.WriteLine($"{r.Evaluated} subnets evaluated, {r.Front} on the Pareto front; unpruned accuracy {r.BaselineAccuracy:P2}" +
            (r.BaselineTestAccuracy is { } bt ? $" (test {bt:P2})" : ""));
        foreach (var m in r.Models)
            io.Out.WriteLine($"  {Path.GetFileName(m.Path)}: {m.Macs:N0} MACs, accuracy {m.FinalAccuracy:P2} (search saw {m.SearchAccuracy:P2})" +
                (m.TestAccuracy is { } t ? $", test {t:P2}" : "") +
                (m.LatencyRatio is { } lr ? $", {lr:F2} of the original's latency {(m.LatencyPredicted ? "predicted by the latency table" : "re-measured")} ({1 / lr:F2}x)" : "") +
                (m.Speedup is { } x ? $", {x:F2}x the original's throughput" : ""));
        if (r.LatencyTable is { } table)
            io.Out.WriteLine($"latency table: {table.Entries} layer configurations; this run timed {table.Timed} ({table.ProbeSeconds:F1} s), " +
                $"{table.Hits} of {table.Lookups} lookups came from the table");
        io.Out.WriteLine($"outputs in {Path.GetFullPath(r.OutDir)}: history.csv, front.json, front.png, pruned-*.onnx" +
            (r.PeakResidentBytes > 0 ? $"; peak memory {r.PeakResidentBytes / 1e9:F2} GB" : ""));
    }
}
