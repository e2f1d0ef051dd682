using FastPrune.Graph;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using ScottPlot;

namespace FastPrune.Search;

/// <summary>front.png: every evaluated subnet, the Pareto front, the original model and the targets.</summary>
internal static class FrontPlot
{
    /// <summary>Draws the plot and writes it atomically.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="history">Every evaluated subnet.</param>
    /// <param name="front">The Pareto front among them.</param>
    /// <param name="calibrated">The calibrated model (the original's accuracy).</param>
    /// <param name="o">The run's options (objective, targets).</param>
    /// <param name="original">The original's cost in the objective's unit (MACs, params or ms).</param>
    /// <param name="models">The written models with their measured speedup over the original (null: not measured).</param>
    public static void Write(string path, IReadOnlyList<HistoryRow> history, IReadOnlyList<HistoryRow> front, CalibratedModel calibrated, RunOptions o,
        double original, IReadOnlyList<(WrittenModel Model, double? Speedup)> models)
    {
        var (scale, unit) = ObjectiveCost.Axis(o);
        double X(HistoryRow h) => h.Cost(o.Objective) / scale;
        var plot = new Plot();
        var all = plot.Add.ScatterPoints(history.Select(X).ToArray(), history.Select(h => 100 * h.Accuracy).ToArray());
        all.LegendText = $"evaluated subnets ({history.Count})";
        all.MarkerSize = 4;
        all.Color = Colors.SteelBlue.WithAlpha(0.5);
        var f = plot.Add.Scatter(front.Select(X).ToArray(), front.Select(h => 100 * h.Accuracy).ToArray());
        f.LegendText = "Pareto front";
        f.Color = Colors.OrangeRed;
        f.LineWidth = 2;
        f.MarkerSize = 6;
        double ox = original / scale;
        var orig = plot.Add.ScatterPoints(new[] { ox }, new[] { 100 * calibrated.BaselineAccuracy });
        orig.LegendText = "original model";
        orig.MarkerShape = MarkerShape.FilledDiamond;
        orig.MarkerSize = 12;
        orig.Color = Colors.Black;
        foreach (var t in o.Targets)
        {
            var v = plot.Add.VerticalLine(t * ox);
            v.LinePattern = LinePattern.Dashed;
            v.Color = Colors.Gray;
            v.Text = $"{t:P0}";
        }
        plot.Title($"{Path.GetFileName(o.Prune.ModelPath)}: {o.Search.ToString().ToUpperInvariant()} search, {history.Count} subnets");
        foreach (var (m, speedup) in models)
        {
            var row = history.First(h => h.Genome.SequenceEqual(m.Genome));
            var w = plot.Add.ScatterPoints(new[] { X(row) }, new[] { 100 * m.FinalAccuracy });
            w.MarkerShape = MarkerShape.OpenCircle;
            w.MarkerSize = 14;
            w.Color = Colors.DarkGreen;
            w.LegendText = $"{Path.GetFileName(m.Path)}" + (speedup is { } x ? $": {x:F2}x measured speedup" : "");
        }
        plot.XLabel(unit);
        plot.YLabel(calibrated.AgreementOnly ? "top-1 agreement with the original (%)" : "top-1 accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        var bytes = plot.GetImageBytes(1000, 650, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
