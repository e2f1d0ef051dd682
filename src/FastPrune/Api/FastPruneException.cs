namespace FastPrune;

/// <summary>
/// The one exception type the FastPrune API throws for a failure of the caller's model, data, options or file system.
/// Its message is one line naming the file (and node or tensor) and the cause; <see cref="Exception.InnerException"/>
/// keeps the original exception for diagnostics. Cancellation is reported as <see cref="OperationCanceledException"/>,
/// and anything else the API throws is a bug in FastPrune.
/// </summary>
public sealed class FastPruneException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">One line naming the file, node or option and the cause.</param>
    /// <param name="inner">The exception that was translated, if any.</param>
    public FastPruneException(FastPruneErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    /// <summary>What went wrong; its value is the fastprune command's exit code for it.</summary>
    public FastPruneErrorKind Kind { get; }
}
