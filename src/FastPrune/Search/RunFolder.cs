namespace FastPrune.Search;

/// <summary>
/// The run folder for the duration of one <see cref="SearchRun.Execute"/>: checked (new runs need an absent or
/// empty folder, resumes an existing one), locked against other processes (<see cref="RunFolderLock"/>), and,
/// when the run fails before its first subnet is saved, put back as it was: what this run created is removed, so
/// that the same command can simply be run again.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    private readonly string _dir;
    private readonly bool _createdDir;
    private readonly bool _createdLock;
    private readonly List<string> _created = [];
    private RunFolderLock? _lock;
    private bool _kept;

    private RunFolder(string dir, bool createdDir, bool createdLock, RunFolderLock held)
    {
        _dir = dir;
        _createdDir = createdDir;
        _createdLock = createdLock;
        _lock = held;
    }

    /// <summary>Checks and locks <see cref="RunOptions.OutDir"/>.</summary>
    /// <exception cref="RunFolderException">A new run's folder is not empty, or another run holds the folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder to resume does not exist.</exception>
    public static RunFolder Open(RunOptions o)
    {
        var dir = o.OutDir;
        if (o.Resume)
        {
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such run folder to resume");
        }
        else
        {
            if (File.Exists(dir)) throw new RunFolderException($"{dir}: is a file, not a run folder");
            ThrowIfNotEmpty(dir);
        }
        bool createdDir = !Directory.Exists(dir);
        if (createdDir) Directory.CreateDirectory(dir);
        bool createdLock = !File.Exists(Path.Combine(dir, RunFolderLock.FileName));
        RunFolderLock held;
        try
        {
            held = RunFolderLock.Acquire(dir);
        }
        catch
        {
            if (createdDir) TryDelete(() => Directory.Delete(dir, recursive: false));
            throw;
        }
        var folder = new RunFolder(dir, createdDir, createdLock, held);
        // Checked again under the lock: another new run may have filled the folder between the first look and the lock.
        if (!o.Resume)
        {
            try { ThrowIfNotEmpty(dir); }
            catch { folder.Dispose(); throw; }
        }
        return folder;
    }

    /// <summary>Records a file this run created, removed again if the run fails before <see cref="Keep"/>.</summary>
    public void Created(string path) => _created.Add(path);

    /// <summary>The run has saved work (its first subnet): from now on the folder stays whatever happens.</summary>
    public void Keep() => _kept = true;

    /// <inheritdoc/>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        if (_kept) return;
        foreach (var f in _created) TryDelete(() => File.Delete(f));
        // A lock file this run created goes too, so a failed first attempt leaves nothing behind.
        if (_createdLock) TryDelete(() => File.Delete(Path.Combine(_dir, RunFolderLock.FileName)));
        if (_createdDir) TryDelete(() => Directory.Delete(_dir, recursive: false));
        _kept = true;
    }

    private static void ThrowIfNotEmpty(string dir)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any(e => Path.GetFileName(e) != RunFolderLock.FileName))
            throw new RunFolderException($"{dir}: folder is not empty (use --resume to continue a run there, or choose another --out)");
    }

    private static void TryDelete(Action delete)
    {
        try { delete(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
