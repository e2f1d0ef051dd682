namespace FastPrune.Cli;

/// <summary>The exit codes of every fastprune command (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>A bug in FastPrune: an exception nobody expected.</summary>
    public const int Internal = 1;
    /// <summary>Bad command line: unknown flag, bad value, bad genome.</summary>
    public const int Usage = 2;
    /// <summary>Invalid or unsupported model or data.</summary>
    public const int InvalidInput = 3;
    /// <summary>A file cannot be read or written.</summary>
    public const int FileSystem = 4;
    /// <summary>A numerical failure (e.g. a least-squares system that stays singular).</summary>
    public const int Numerical = 5;
    /// <summary>Interrupted (Ctrl-C); a checkpoint was written where the command keeps one.</summary>
    public const int Interrupted = 130;
}
