using FastPrune.Graph;

namespace FastPrune.Search;

/// <summary>
/// Predicts a model's latency from a <see cref="LatencyTable"/>: the table sum of its timed layers at the batch,
/// through the table's <see cref="LatencyFit"/>. Layers the table lacks are timed by the time function (a
/// <see cref="LatencyProbe"/> on the engine) and kept.
/// </summary>
/// <param name="table">The table (its fit is set by <see cref="Calibrate"/>).</param>
/// <param name="batch">The batch the table's entries and the predictions are for.</param>
/// <param name="time">Times one layer configuration the table lacks, in milliseconds.</param>
/// <param name="block">The engine's blocked-layout channel block (<see cref="Runtime.OrtNchwcBlock.Of"/>; 0: none), which
/// decides the layout reorders a network pays (<see cref="LatencyLayer.InNetwork"/>).</param>
/// <param name="timeMany">When given, times all the configurations a model adds to the table at once.</param>
internal sealed class LatencyPredictor(LatencyTable table, int batch, Func<LatencyLayer, double> time, int block,
    Func<IReadOnlyList<LatencyLayer>, IReadOnlyList<double>>? timeMany = null)
{
    /// <summary>The table, with the entries timed so far.</summary>
    public LatencyTable Table { get; } = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>The table sum of <paramref name="model"/>: its timed layers and layout switches (timing those not in it).</summary>
    /// <exception cref="ModelFormatException">A timed layer's shape is not static or not float32.</exception>
    public double TableSum(OnnxModel model) => Table.Sum(LatencyLayer.InNetwork(model, batch, block), time, timeMany);

    /// <summary>Times at once every configuration <paramref name="models"/> would add to the table (one probe model per 32,
    /// where predicting them one by one would open one per model); nothing without a batch timer. The models are read one
    /// at a time, so a lazy sequence holds one in memory. Returns how many configurations were timed.</summary>
    /// <exception cref="ModelFormatException">A timed layer's shape is not static or not float32.</exception>
    public int Prefetch(IEnumerable<OnnxModel> models) =>
        timeMany is null ? 0 : Table.Fill(models.SelectMany(m => LatencyLayer.InNetwork(m, batch, block)), timeMany);

    /// <summary>The predicted milliseconds of one batch of <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The table has not been calibrated.</exception>
    /// <exception cref="ModelFormatException">A timed layer's shape is not static or not float32.</exception>
    public double Predict(OnnxModel model) =>
        (Table.Fit ?? throw new InvalidOperationException("the latency table is not calibrated")).Predict(TableSum(model));

    /// <summary>Fits the table to whole-model timings of calibration models and stores the fit in the table.</summary>
    /// <param name="models">The calibration models with their measured milliseconds (at least two with different sums).</param>
    /// <exception cref="ArgumentException">See <see cref="LatencyFit.Of"/>.</exception>
    public LatencyFit Calibrate(IReadOnlyList<(OnnxModel Model, double MeasuredMs)> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        Prefetch(models.Select(m => m.Model));
        var fit = LatencyFit.Of(models.Select(m => (TableSum(m.Model), m.MeasuredMs)).ToList());
        Table.Fit = fit;
        return fit;
    }
}
