using FastPrune.Graph;

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
        UsageException => ExitCodes.Usage,
        ModelFormatException => ExitCodes.InvalidInput,
        OperationCanceledException => ExitCodes.Interrupted,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException => ExitCodes.FileSystem,
        IOException => ExitCodes.FileSystem,
        _ when e.GetType().Name is "DataException" => ExitCodes.InvalidInput,
        _ when e.GetType().Name is "GenomeException" => ExitCodes.Usage,
        _ when e.GetType().Name is "LstsqException" or "NumericalException" => ExitCodes.Numerical,
        _ => ExitCodes.Internal,
    };

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}

/// <summary>A bad command line detected after parsing (a value out of range, a conflicting pair of flags).</summary>
public sealed class UsageException(string message) : Exception(message);
