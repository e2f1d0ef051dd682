using FastPrune.Graph;

namespace FastPrune;

/// <summary>Where a pruned model may be written.</summary>
internal static class OutputCheck
{
    /// <summary>
    /// Fails before any work when the output cannot or must not be written: its folder is missing, it is the input
    /// model itself (by any path: <c>a/../a/m.onnx</c>, a hard link; same device and inode), or it exists and is not a
    /// regular file (the atomic rename would replace a device node such as /dev/full by a file).
    /// </summary>
    public static void Check(string path, string inputModel)
    {
        if (path.Length == 0) throw Failures.Invalid("-o '': the output path is empty");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{path}: folder '{dir}' does not exist");
        if (FileStatus.SameFile(path, inputModel))
            throw Failures.Invalid($"-o {path}: is the input model {inputModel}; write the pruned model to another file");
        AtomicFile.ThrowIfNotReplaceable(path);
    }
}
