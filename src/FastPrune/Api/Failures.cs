using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.TensorRT;

namespace FastPrune;

/// <summary>
/// Translates what the layers below the API throw (Graph, Kernels, TensorRT, ONNX Runtime, data and search errors)
/// into <see cref="FastPruneException"/>, at the API's entry points only: inside the pipeline each layer keeps its own
/// exception types, and callers of the API need to know none of them.
/// </summary>
internal static class Failures
{
    /// <summary>The kind of a failure, or null for cancellation and for exceptions that are bugs.</summary>
    public static FastPruneErrorKind? Classify(Exception e) => e switch
    {
        FastPruneException f => f.Kind,
        OperationCanceledException => null,
        GenomeException or InputShapeException => FastPruneErrorKind.InvalidOptions,
        ModelFormatException or DataException or BenchmarkException or TensorRtException or CheckpointException or MemoryLimitException
            => FastPruneErrorKind.InvalidInput,
        // ONNX Runtime refusing a model it was handed (an op it lacks, a shape it rejects) is a model problem.
        Microsoft.ML.OnnxRuntime.OnnxRuntimeException => FastPruneErrorKind.InvalidInput,
        LstsqException => FastPruneErrorKind.Numerical,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException or IOException
            => FastPruneErrorKind.FileSystem,
        _ => null,
    };

    /// <summary>Runs an API call, translating the failures of the layers below into <see cref="FastPruneException"/>.</summary>
    public static T Guard<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is not FastPruneException && Classify(e) is { } kind)
        {
            throw new FastPruneException(kind, e.Message, e);
        }
    }

    /// <summary>An option that cannot be honoured.</summary>
    public static FastPruneException Invalid(string message) => new(FastPruneErrorKind.InvalidOptions, message);
}
