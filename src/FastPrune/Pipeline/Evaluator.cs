using FastPrune.Graph.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>Top-1 accuracy of a model on the evaluation split, with ONNX Runtime.</summary>
internal static class Evaluator
{
    /// <summary>Predicted classes, and the seconds spent creating the session and running it.</summary>
    public static (int[] Predictions, double SessionSeconds, double InferSeconds) Predict(ModelProto model, ImageSet set, SessionOptions options,
        int batchSize, CancellationToken cancel)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var runner = new ModelRunner(model, options);
        return Predict(runner, sw, model.Graph.Output[0].Name, set, batchSize, cancel);
    }

    /// <summary>As <see cref="Predict(ModelProto, ImageSet, SessionOptions, int, CancellationToken)"/>, for the model file at
    /// <paramref name="path"/> (what was written is what is evaluated); <paramref name="output"/> names its logits.</summary>
    public static (int[] Predictions, double SessionSeconds, double InferSeconds) Predict(string path, string output, ImageSet set, SessionOptions options,
        int batchSize, CancellationToken cancel)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var runner = new ModelRunner(path, options);
        return Predict(runner, sw, output, set, batchSize, cancel);
    }

    private static (int[] Predictions, double SessionSeconds, double InferSeconds) Predict(ModelRunner runner, System.Diagnostics.Stopwatch sw, string output,
        ImageSet set, int batchSize, CancellationToken cancel)
    {
        double session = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var predictions = new int[set.Count];
        runner.Run(set, batchSize, [output], (start, count, values) =>
        {
            var logits = values[0].GetTensorDataAsSpan<float>();
            int classes = logits.Length / count;
            for (int i = 0; i < count; i++)
                predictions[start + i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Slice(i * classes, classes));
        }, cancel);
        return (predictions, session, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Fraction of <paramref name="predictions"/> equal to <paramref name="labels"/>.</summary>
    public static double Accuracy(int[] predictions, int[] labels)
    {
        int hit = 0;
        for (int i = 0; i < predictions.Length; i++) if (predictions[i] == labels[i]) hit++;
        return predictions.Length == 0 ? 0 : (double)hit / predictions.Length;
    }
}
