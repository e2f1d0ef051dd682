using FastPrune.Graph;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// The one place the cost objectives are told apart: what a history row costs, what a counted model costs, and how the
/// front's cost axis is labelled. The search, its seeding, the target selection of the front writer and the plot all ask here.
/// </summary>
internal static class ObjectiveCost
{
    /// <summary>The cost of an evaluated subnet under <paramref name="objective"/>.</summary>
    /// <exception cref="InvalidOperationException">A latency cost asked of a row that was not measured.</exception>
    public static double Of(this CostObjective objective, HistoryRow row) => objective switch
    {
        CostObjective.Macs => row.Macs,
        CostObjective.Params => row.Params,
        _ => row.LatencyMs ?? throw new InvalidOperationException($"history row {row.Index} has no latency"),
    };

    /// <summary>The counted cost of a model under <paramref name="objective"/>. Latency is only known by measuring; its
    /// counted stand-in (for seeding the search before anything is measured) is MACs.</summary>
    public static double Counted(this CostObjective objective, ModelCost cost) =>
        objective == CostObjective.Params ? cost.Params : cost.Macs;

    /// <summary>The front plot's scale (cost units per axis unit) and axis label under <paramref name="o"/>'s objective.</summary>
    public static (double Scale, string Unit) Axis(RunOptions o) => o.Objective switch
    {
        CostObjective.Macs => (1e6, "MMACs at batch 1"),
        CostObjective.Params => (1e3, "thousand params"),
        _ => (1.0, $"measured latency (ms per batch of {o.BenchBatch}, {(o.BenchEngine ?? InferenceEngine.OrtCpu).ToName()})"),
    };
}
