namespace FastPrune.Data;

/// <summary>
/// Images in a folder, decoded with SkiaSharp when read. ImageNet layout (<c>class/…/x.jpg</c>): labels are
/// the indices of the subfolder names in ordinal sort order, as torchvision's ImageFolder assigns them; a
/// flat folder of images has no labels unless a labels file is given. Files are .jpg/.jpeg/.png/.bmp/.webp,
/// in ordinal order of their relative paths. A 1-channel model gets luma (0.299R + 0.587G + 0.114B); a
/// 3-channel model gets RGB, a grayscale image replicated. Images are only decoded when read, so one that
/// fails to decode is reported by <see cref="DataSourceBase.ReadImage"/>.
/// </summary>
internal sealed class ImageFolderSource : DataSourceBase
{
    private readonly string[] _files;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly int _resize;

    /// <summary>Scans <paramref name="folder"/>.</summary>
    /// <param name="folder">The image folder.</param>
    /// <param name="shape">The model input: 1 or 3 channels, any H×W.</param>
    /// <param name="options">Resize and mean/std; null for defaults (ImageNet mean/std for 3 channels).</param>
    /// <param name="labelsPath">A labels file that overrides the class folders (one label per image, in file order).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be listed.</exception>
    /// <exception cref="DataException">No images, a channel count other than 1 or 3, or bad labels.</exception>
    /// <exception cref="ArgumentException">Bad mean/std in <paramref name="options"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Bad resize options, or <paramref name="shape"/> has a non-positive dimension.</exception>
    public ImageFolderSource(string folder, SampleShape shape, PreprocessOptions? options = null, string? labelsPath = null)
        : base(folder, shape)
    {
        options ??= PreprocessOptions.Default;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"image folder not found: {folder}");
        }
        if (shape.Channels is not (1 or 3))
        {
            throw new DataException(folder, $"the model takes {shape.Channels} channels; images give 1 (grayscale) or 3 (RGB)");
        }
        (_mean, _std) = options.ResolveNormalisation(shape.Channels, imageNetDefaults: true);
        _resize = options.ResolveResize(shape);

        string[] classes = [.. Directory.GetDirectories(folder).Select(d => System.IO.Path.GetFileName(d)!).Order(StringComparer.Ordinal)];
        var files = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < classes.Length; c++)
        {
            foreach (string f in ImagesUnder(System.IO.Path.Combine(folder, classes[c]), SearchOption.AllDirectories))
            {
                files.Add(f);
                labels.Add(c);
            }
        }
        ClassFolders = files.Count > 0 ? classes : [];
        if (files.Count == 0)
        {
            files.AddRange(ImagesUnder(folder, SearchOption.TopDirectoryOnly));
            labels.Clear();
        }
        if (files.Count == 0)
        {
            throw new DataException(folder, "no images (.jpg, .jpeg, .png, .bmp, .webp) in the folder or its class subfolders");
        }
        _files = [.. files];
        Count = _files.Length;
        if (labelsPath is not null)
        {
            Labels = LabelFile.Read(labelsPath, _files.Length);
            ClassCount = Labels.Max() + 1;
        }
        else if (labels.Count > 0)
        {
            Labels = [.. labels];
            ClassCount = classes.Length;
        }
    }

    /// <summary>The class subfolder names in label order; empty for a flat folder.</summary>
    public IReadOnlyList<string> ClassFolders { get; }

    /// <summary>The image files in sample order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc/>
    protected override void ReadImageCore(int index, Span<float> chw)
    {
        using DecodedImage img = ImageDecoder.Decode(_files[index]);
        ResizeGeometry g = ResizeGeometry.Compute(img.Width, img.Height, _resize, Shape.Height, Shape.Width);
        ImageResampler.Process(img.Rgba, img.Width, img.Height, g, Shape, _mean, _std, chw);
    }

    /// <summary>The image file of sample <paramref name="index"/>.</summary>
    /// <param name="index">Sample index in [0, <see cref="DataSourceBase.Count"/>).</param>
    public override string NameOf(int index) => _files[index];

    private static IEnumerable<string> ImagesUnder(string dir, SearchOption option) =>
        Directory.EnumerateFiles(dir, "*", option)
            .Where(f => ImageDecoder.Extensions.Contains(System.IO.Path.GetExtension(f)))
            .Order(StringComparer.Ordinal);
}
