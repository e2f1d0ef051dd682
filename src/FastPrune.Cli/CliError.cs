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

    /// <summary>The exit code of a failure: the library's kind is the code; anything the library did not classify is a bug.</summary>
    public static int Classify(Exception e) => e switch
    {
        UsageException => ExitCodes.Usage,
        FastPruneException f => (int)f.Kind,
        OperationCanceledException => ExitCodes.Interrupted,
        _ => ExitCodes.Internal,
    };

    private static string OneLine(string s) => s.Replace('\r', ' ').Replace('\n', ' ');
}

/// <summary>A bad command line detected after parsing (a value out of range, a conflicting pair of flags).</summary>
public sealed class UsageException(string message) : Exception(message);
