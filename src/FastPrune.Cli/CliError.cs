using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;
using FastPrune.Runtime;
using FastPrune.Search;
using FastPrune.TensorRT;

namespace FastPrune.Cli;

/// <summary>Turns exceptions into one-line messages and exit codes.</summary>
internal static class CliError
{
    /// <summary>Runs <paramref name="action"/>, mapping what it throws to an exit code and one line on stderr.</summary>
    public static int Run(Func<int> action, bool verbose, TextWriter stderr)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            int code = Classify(e);
            stderr.WriteLine($"fastprune: {(code == ExitCodes.Internal ? $"internal error ({e.GetType().Name}): " : "")}{OneLine(e.Message)}");
            if (verbose) stderr.WriteLine(e.ToString());
            return code;
        }
    }

    public static int Classify(Exception e) => e switch
    {
        UsageException or GenomeException or InputShapeException => ExitCodes.Usage,
        ModelFormatException or DataException or BenchmarkException or TensorRtException or CheckpointException => ExitCodes.InvalidInput,
        // ONNX Runtime refusing a model it was handed (an op it lacks, a shape it rejects) is a model problem.
        Microsoft.ML.OnnxRuntime.OnnxRuntimeException => ExitCodes.InvalidInput,
        LstsqException => ExitCodes.Numerical,
        OperationCanceledException => ExitCodes.Interrupted,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException => ExitCodes.FileSystem,
        IOException => ExitCodes.FileSystem,
        _ => ExitCodes.Internal,
    };

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}

/// <summary>A bad command line detected after parsing (a value out of range, a conflicting pair of flags).</summary>
public sealed class UsageException(string message) : Exception(message);
