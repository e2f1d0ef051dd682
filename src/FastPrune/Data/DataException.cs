namespace FastPrune.Data;

/// <summary>
/// A data set that exists and can be opened but is unusable: bad format, wrong dtype or shape, an image
/// that does not decode, labels that do not match, non-finite values. The message is one line that names
/// the offending file (and index where there is one) and the cause. The CLI maps it to exit code 3.
/// </summary>
/// <remarks>
/// A path that is missing or cannot be opened is not a <see cref="DataException"/>: it surfaces as the
/// ordinary IO exception (<see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/>,
/// <see cref="UnauthorizedAccessException"/>, <see cref="IOException"/>), which the CLI maps to exit code 4.
/// </remarks>
internal sealed class DataException : Exception
{
    /// <summary>Creates the exception; the message is prefixed with the path.</summary>
    /// <param name="path">The file or folder at fault.</param>
    /// <param name="cause">What is wrong with it, without the path.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public DataException(string path, string cause, Exception? inner = null)
        : base($"{path}: {cause}", inner)
    {
        Path = path;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
}
