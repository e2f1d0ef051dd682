using System.Buffers;

namespace FastPrune.Data;

/// <summary>
/// Samples from an IDX images file (MNIST / Fashion-MNIST: magic 0x00000803, uint8 N×H×W, optionally
/// gzipped). Pixels become x/255, then (x − mean)/std with the configured mean/std (default 0 and 1).
/// A 3-channel model gets the gray channel replicated. Labels: the given labels file, else the sibling whose
/// name has <c>images</c>→<c>labels</c> and <c>idx3</c>→<c>idx1</c> (with or without <c>.gz</c>), else none.
/// </summary>
internal sealed class IdxSource : DataSourceBase
{
    private readonly IdxFile _images;
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Opens and validates an IDX images file against the model input <paramref name="shape"/>.</summary>
    /// <param name="path">The images IDX file.</param>
    /// <param name="shape">The model input: 1 or 3 channels, H and W equal to the file's.</param>
    /// <param name="options">Mean/std (resize options do not apply); null for defaults.</param>
    /// <param name="labelsPath">Labels file; null to look for the sibling labels file.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be read.</exception>
    /// <exception cref="DataException">Not an IDX images file, wrong size or channel count, no images, truncated, or bad labels.</exception>
    /// <exception cref="ArgumentException">Bad mean/std in <paramref name="options"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a non-positive dimension.</exception>
    public IdxSource(string path, SampleShape shape, PreprocessOptions? options = null, string? labelsPath = null)
        : base(path, shape)
    {
        (_mean, _std) = (options ?? PreprocessOptions.Default).ResolveNormalisation(shape.Channels, imageNetDefaults: false);
        if (IdxFile.PeekMagic(path) != 0x00000803)
        {
            throw new DataException(path, "not an IDX images file (expected magic 0x00000803: uint8, N×H×W)");
        }
        _images = IdxFile.Open(path);
        try
        {
            int n = _images.Dims[0], h = _images.Dims[1], w = _images.Dims[2];
            if (h != shape.Height || w != shape.Width)
            {
                throw new DataException(path, $"images are {h}x{w}, the model takes {shape.Height}x{shape.Width}");
            }
            if (shape.Channels is not (1 or 3))
            {
                throw new DataException(path, $"IDX images are grayscale; the model takes {shape.Channels} channels (1 or 3 possible)");
            }
            if (n == 0)
            {
                throw new DataException(path, "contains no images");
            }
            Count = n;
            LabelsPath = labelsPath ?? FindSiblingLabels(path);
            if (LabelsPath is not null)
            {
                Labels = LabelFile.Read(LabelsPath, n);
                ClassCount = Labels.Max() + 1;
            }
        }
        catch
        {
            _images.Dispose();
            throw;
        }
    }

    /// <summary>The labels file in use, given or found beside the images; null without labels.</summary>
    public string? LabelsPath { get; }

    /// <inheritdoc/>
    protected override void ReadImageCore(int index, Span<float> chw)
    {
        int plane = Shape.Height * Shape.Width;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(plane);
        try
        {
            _images.Read((long)index * plane, pixels.AsSpan(0, plane));
            for (int c = 0; c < Shape.Channels; c++)
            {
                Span<float> dst = chw.Slice(c * plane, plane);
                float mean = _mean[c], invStd = 1f / _std[c];
                for (int i = 0; i < plane; i++)
                {
                    dst[i] = (pixels[i] / 255f - mean) * invStd;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _images.Dispose();
        }
    }

    /// <summary>
    /// The labels file beside an images file: <c>train-images-idx3-ubyte</c> → <c>train-labels-idx1-ubyte</c>,
    /// trying the name with and without <c>.gz</c>; null if there is none.
    /// </summary>
    /// <param name="imagesPath">The images IDX path.</param>
    public static string? FindSiblingLabels(string imagesPath)
    {
        string dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(imagesPath))!;
        string name = System.IO.Path.GetFileName(imagesPath);
        string guess = name.Replace("images", "labels", StringComparison.Ordinal).Replace("idx3", "idx1", StringComparison.Ordinal);
        if (guess == name)
        {
            return null;
        }
        string bare = guess.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? guess[..^3] : guess;
        foreach (string candidate in new[] { guess, bare, bare + ".gz" })
        {
            string full = System.IO.Path.Combine(dir, candidate);
            if (File.Exists(full))
            {
                return full;
            }
        }
        return null;
    }
}
