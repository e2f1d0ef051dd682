using FastPrune.Graph;
using FastPrune.Pipeline;
using ScottPlot;

namespace FastPrune.Search;

/// <summary>front.png: every evaluated subnet, the Pareto front, the original model and the targets.</summary>
internal static class FrontPlot
{
    public static void Write(string path, IReadOnlyList<HistoryRow> history, IReadOnlyList<HistoryRow> front, PruningSession session, RunOptions o)
    {
        bool macs = o.Objective == CostObjective.Macs;
        double scale = macs ? 1e6 : 1e3;
        string unit = macs ? "MMACs" : "thousand params";
        double X(HistoryRow h) => (macs ? h.Macs : h.Params) / scale;
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
        double ox = (macs ? session.OriginalCost.Macs : session.OriginalCost.Params) / scale;
        var orig = plot.Add.ScatterPoints(new[] { ox }, new[] { 100 * session.BaselineAccuracy });
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
        plot.XLabel(unit + " at batch 1");
        plot.YLabel(session.AgreementOnly ? "top-1 agreement with the original (%)" : "top-1 accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        var bytes = plot.GetImageBytes(1000, 650, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
