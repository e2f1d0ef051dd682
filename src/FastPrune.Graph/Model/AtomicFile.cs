namespace FastPrune.Graph;

/// <summary>Complete-or-absent file writes: a temporary file in the target folder, flushed to disk, then renamed over the target.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the target is untouched and the temporary file removed.</summary>
    /// <exception cref="IOException">The folder is missing or not writable.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{path}: folder '{dir}' does not exist");
        ThrowIfNotReplaceable(path);
        // Same folder as the target so that the rename cannot cross file systems.
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Refuses a target that exists and is not a regular file: renaming over a folder fails, and renaming over a
    /// device node (/dev/full), pipe or socket would silently turn it into a regular file.</summary>
    /// <exception cref="IOException">The target is a folder, device, pipe or socket.</exception>
    public static void ThrowIfNotReplaceable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (FileStatus.Of(path) is { IsRegular: false } status && new FileInfo(path).LinkTarget is null)
            throw new IOException($"{path}: exists and is {(status.IsDirectory ? "a folder" : "not a regular file (a device, pipe or socket)")}; refusing to replace it");
    }

    /// <summary>Writes a text file atomically.</summary>
    /// <exception cref="IOException">The folder is missing or not writable.</exception>
    public static void WriteText(string path, string text) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, leaveOpen: true);
            w.Write(text);
        });
}
