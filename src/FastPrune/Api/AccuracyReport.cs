namespace FastPrune;

/// <summary>What <see cref="Pruner.Evaluate"/> measured.</summary>
/// <param name="Accuracy">Top-1 accuracy.</param>
/// <param name="Count">Images evaluated.</param>
/// <param name="ImagesPerSecond">Inference throughput of the evaluation.</param>
/// <param name="Warnings">Notes for the user (fewer images than asked, CUDA unavailable).</param>
public sealed record AccuracyReport(double Accuracy, int Count, double ImagesPerSecond, IReadOnlyList<string> Warnings);
