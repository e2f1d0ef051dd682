namespace FastPrune.Data;

/// <summary>Opens the right <see cref="IDataSource"/> for a path, as the CLI's <c>--data</c> does.</summary>
internal static class DataSource
{
    /// <summary>
    /// Detects the source from <paramref name="path"/>: a file by its content (<c>.npy</c> magic, or IDX
    /// images magic 0x00000803, gzipped or not); a folder holding exactly one IDX images file is that file;
    /// any other folder is an image folder (class subfolders or flat).
    /// </summary>
    /// <param name="path">File or folder.</param>
    /// <param name="shape">The model input (from the model).</param>
    /// <param name="options">Preprocessing; null for defaults.</param>
    /// <param name="labelsPath">Labels file overriding the source's own labels; null for none or auto-detected ones.</param>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>, or a labels file is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">A folder on the path does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">A file or folder cannot be read.</exception>
    /// <exception cref="DataException">The data exists but is unusable; the message names the file and the cause.</exception>
    /// <exception cref="ArgumentException">Bad options.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a non-positive dimension, or bad resize options.</exception>
    public static IDataSource Open(string path, SampleShape shape, PreprocessOptions? options = null, string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        shape.Validate(nameof(shape));
        if (labelsPath is not null && !File.Exists(labelsPath))
        {
            throw new FileNotFoundException($"labels file not found: {labelsPath}", labelsPath);
        }
        if (Directory.Exists(path))
        {
            string[] idx = [.. Directory.EnumerateFiles(path)
                .Where(f => Path.GetFileName(f).Contains("idx3", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)];
            if (idx.Length > 1)
            {
                throw new DataException(path, $"holds {idx.Length} IDX images files ({string.Join(", ", idx.Select(Path.GetFileName))}); pass one of them");
            }
            return idx.Length == 1
                ? new IdxSource(idx[0], shape, options, labelsPath)
                : new ImageFolderSource(path, shape, options, labelsPath);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"data not found: {path}", path);
        }
        if (IsNpy(path))
        {
            return new NpySource(path, shape, labelsPath);
        }
        return IdxFile.PeekMagic(path) switch
        {
            0x00000803 => new IdxSource(path, shape, options, labelsPath),
            0x00000801 => throw new DataException(path, "is an IDX labels file; pass the images file (labels are found beside it)"),
            _ => throw new DataException(path, "unrecognised data file (expected an image folder, a float32 NCHW .npy or an IDX images file)"),
        };
    }

    private static bool IsNpy(string path)
    {
        using FileStream fs = File.OpenRead(path);
        Span<byte> m = stackalloc byte[6];
        return fs.ReadAtLeast(m, 6, throwOnEndOfStream: false) == 6 && m.SequenceEqual(NpyHeader.Magic);
    }
}
