using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;

namespace FastPrune.Fuzz;

/// <summary>
/// The fuzzed entry points, each driven exactly as the CLI drives it: the input is written to a file in a
/// private scratch folder and opened by path, because the readers' size checks compare headers against
/// the file's length. Only <see cref="ModelFormatException"/> (models) and <see cref="DataException"/>
/// (data) count as a refusal: those are what the CLI turns into exit code 3; anything else would be exit 1.
/// </summary>
public sealed class FuzzTargets : IDisposable
{
    /// <summary>The model input the data targets open their files against (the seeds are of this size).</summary>
    internal static readonly SampleShape GraySample = new(1, 4, 4);

    /// <summary>The input of the image target: three channels so that colour and gray images both decode.</summary>
    internal static readonly SampleShape ColourSample = new(3, 8, 8);

    private readonly string _folder;

    /// <summary>Creates a scratch folder under the system temp folder, removed on dispose.</summary>
    public FuzzTargets()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"fastprune-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(_folder, "images", "class0"));
    }

    /// <summary>The target names, as tools/fuzz.sh and the smoke test use them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["model", "npy", "idx", "image"];

    /// <summary>The target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public FuzzTarget this[string name] => name switch
    {
        "model" => Model,
        "npy" => Npy,
        "idx" => Idx,
        "image" => Image,
        _ => throw new ArgumentException($"unknown fuzz target '{name}' (one of {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary><c>fastprune inspect</c>'s path: load and validate, external data, summary (shape inference, MACs), prunable groups.</summary>
    public bool Model(ReadOnlySpan<byte> input)
    {
        string path = Write("model.onnx", input);
        try
        {
            var model = OnnxModel.Load(path);
            _ = ModelSummary.Of(model);
            _ = PrunableStructure.Analyze(model);
            return true;
        }
        catch (ModelFormatException)
        {
            return false;
        }
    }

    /// <summary>An .npy file as data (float32 N×1×4×4, every sample read) and as labels.</summary>
    public bool Npy(ReadOnlySpan<byte> input) => DataAndLabels(Write("data.npy", input));

    /// <summary>An IDX file (plain or gzipped) as images (N×4×4, every image read) and as labels.</summary>
    public bool Idx(ReadOnlySpan<byte> input) => DataAndLabels(Write("data-idx3-ubyte", input));

    /// <summary>An image file in a one-class image folder, decoded and preprocessed to 3×8×8.</summary>
    public bool Image(ReadOnlySpan<byte> input)
    {
        Write(Path.Combine("images", "class0", "x.png"), input);
        try
        {
            using IDataSource source = DataSource.Open(Path.Combine(_folder, "images"), ColourSample);
            ReadAll(source);
            return true;
        }
        catch (DataException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }

    private bool DataAndLabels(string path)
    {
        bool accepted = false;
        try
        {
            using IDataSource source = DataSource.Open(path, GraySample, labelsPath: null);
            ReadAll(source);
            accepted = true;
        }
        catch (DataException)
        {
        }
        try
        {
            // Two labels is what the label seeds hold; any other count is refused after the file is read.
            _ = LabelFile.Read(path, expectedCount: 2);
            accepted = true;
        }
        catch (DataException)
        {
        }
        return accepted;
    }

    private static void ReadAll(IDataSource source)
    {
        var chw = new float[source.Shape.Length];
        for (int i = 0; i < source.Count; i++)
        {
            source.ReadImage(i, chw);
            if (source.HasLabels) _ = source.Label(i);
        }
    }

    private string Write(string name, ReadOnlySpan<byte> input)
    {
        string path = Path.Combine(_folder, name);
        using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write))
            fs.Write(input);
        return path;
    }
}
