using FastPrune.Data;
using FastPrune.Graph;

namespace FastPrune.Pipeline;

/// <summary>Accuracy of one model on labelled data, without any pruning machinery.</summary>
internal static class Evaluation
{
    /// <summary>Result of <see cref="Evaluate"/>.</summary>
    public sealed record Result(double Accuracy, int Count, double ImagesPerSecond, IReadOnlyList<string> Warnings);

    /// <summary>Top-1 accuracy of <see cref="PruneOptions.ModelPath"/> on the evaluation split.</summary>
    /// <exception cref="DataException">The data is invalid or has no labels.</exception>
    /// <exception cref="ModelFormatException">The model is invalid.</exception>
    public static Result Evaluate(PruneOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = ModelLoader.Load(options.ModelPath, options.InputShapes, options.EvalDataPath ?? options.DataPath);
        var index = new GraphIndex(model.Proto.Graph);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Seed);
        var shapes = ShapeInference.Run(index, model);
        var (shape, fixedBatch) = ImageInput.Of(index, shapes, options.ModelPath);
        if (fixedBatch is { } b) options = options with { BatchSize = b };
        using var source = DataSource.Open(options.EvalDataPath ?? options.DataPath, shape, options.Preprocess,
            options.EvalDataPath is null ? options.LabelsPath : null);
        if (!source.HasLabels)
            throw new DataException(source.Path, "no labels: give --labels, class folders or an IDX labels file");
        ImageInput.CheckLabels(source, ImageInput.Classes(index, shapes));
        var split = DataSplit.Create(source.Count, 0, options.Eval, options.Seed);
        var set = new ImageSet(source, split.Evaluation, options.MemoryBudgetBytes, cancel);
        var labels = Enumerable.Range(0, set.Count).Select(set.Label).ToArray();
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        using var ortOptions = SessionFactory.Create(options.EvalOnCuda, threads, out var reason);
        var (pred, _, infer) = Evaluator.Predict(model.Proto, set, ortOptions, options.BatchSize, cancel);
        var warnings = split.Warnings.ToList();
        if (reason is not null) warnings.Add(reason);
        return new Result(Evaluator.Accuracy(pred, labels), set.Count, set.Count / Math.Max(infer, 1e-9), warnings);
    }
}
