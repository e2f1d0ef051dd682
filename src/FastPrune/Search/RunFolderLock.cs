namespace FastPrune.Search;

/// <summary>
/// Keeps two processes (or two runs in one process) from working in the same run folder: an exclusive OS lock on
/// <see cref="FileName"/> inside it, held until disposed. .NET takes <see cref="FileShare.None"/> as
/// <c>flock(LOCK_EX | LOCK_NB)</c> on Unix, and the kernel drops the lock when the process ends in any way
/// (exit, crash, kill -9), so a stale lock file never blocks anyone. The file itself is left in place: deleting
/// it would let a process that opened the old file and one that creates a new one both hold "the" lock.
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the run folder.</summary>
    public const string FileName = ".fastprune.lock";

    // errno EWOULDBLOCK (Linux, macOS's is 35) and Windows' ERROR_SHARING_VIOLATION, as .NET reports them in HResult.
    private static readonly int[] Busy = [11, 35, unchecked((int)0x80070020)];

    private readonly FileStream _stream;

    private RunFolderLock(FileStream stream) => _stream = stream;

    /// <summary>Locks <paramref name="dir"/>, which must exist.</summary>
    /// <exception cref="RunFolderException">Another process (or run) holds the folder.</exception>
    /// <exception cref="IOException">The lock file cannot be created.</exception>
    public static RunFolderLock Acquire(string dir)
    {
        var path = Path.Combine(dir, FileName);
        try
        {
            return new RunFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (Busy.Contains(e.HResult) && e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RunFolderException($"{dir}: another fastprune process is working in this folder (it holds {FileName}); wait for it to end", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}

/// <summary>A run folder that cannot be used: in use by another run, or not empty for a new run (a file-system conflict, exit 4).</summary>
internal sealed class RunFolderException(string message, Exception? inner = null) : IOException(message, inner);
