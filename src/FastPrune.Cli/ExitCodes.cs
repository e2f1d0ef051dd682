namespace FastPrune.Cli;

/// <summary>The exit codes of every fastprune command (documented in the README); failures of the library carry theirs
/// as <see cref="FastPruneErrorKind"/>, whose values are these codes.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A bug in FastPrune: an exception nobody expected.</summary>
    public const int Internal = 1;
    /// <summary>Bad command line: unknown flag, bad value, bad genome.</summary>
    public const int Usage = (int)FastPruneErrorKind.InvalidOptions;
    /// <summary>Invalid or unsupported model or data.</summary>
    public const int InvalidInput = (int)FastPruneErrorKind.InvalidInput;
    /// <summary>A file cannot be read or written.</summary>
    public const int FileSystem = (int)FastPruneErrorKind.FileSystem;
    /// <summary>A numerical failure (e.g. a least-squares system that stays singular).</summary>
    public const int Numerical = (int)FastPruneErrorKind.Numerical;
    /// <summary>Interrupted (Ctrl-C); a checkpoint was written where the command keeps one.</summary>
    public const int Interrupted = 130;
}
