namespace FastPrune;

/// <summary>
/// What went wrong, as the fastprune command reports it: each value is the command's documented exit code, so an
/// embedding application can map failures the same way (<c>(int)kind</c>).
/// </summary>
public enum FastPruneErrorKind
{
    /// <summary>A value of the options cannot be honoured: a bad genome, count, shape, device or path pair (exit code 2).</summary>
    InvalidOptions = 2,
    /// <summary>The model or data is invalid or unsupported, an engine is unavailable, a run checkpoint is corrupt or the
    /// run cannot fit its memory limit (exit code 3).</summary>
    InvalidInput = 3,
    /// <summary>A file or folder cannot be read or written, or is in use by another run (exit code 4).</summary>
    FileSystem = 4,
    /// <summary>A numerical failure: a least-squares system that stays singular (exit code 5).</summary>
    Numerical = 5,
}
