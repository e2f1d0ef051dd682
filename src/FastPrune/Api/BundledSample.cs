namespace FastPrune;

/// <summary>
/// The small trained sample FastPrune ships (a ResNet-style network and a Fashion-MNIST sample): in the repository
/// under samples/, in the installed tool beside its DLL. <c>fastprune run</c> without arguments searches it.
/// </summary>
public static class BundledSample
{
    /// <summary>Subnets a search of the sample evaluates by default (a two-minute run on two cores).</summary>
    public const int Budget = 150;

    /// <summary>Calibration and evaluation images of the sample by default (the IDX calibration file holds 8000).</summary>
    public const int Images = 1500;

    /// <summary>The sample model.</summary>
    /// <exception cref="FastPruneException">The sample is not found (<see cref="FastPruneErrorKind.FileSystem"/>).</exception>
    public static string ModelPath => Locate("samples/resnet.onnx");

    /// <summary>The sample's calibration and evaluation images (IDX, labels beside them).</summary>
    /// <exception cref="FastPruneException">The sample is not found.</exception>
    public static string DataPath => Locate("samples/data/calib-images-idx3-ubyte");

    /// <summary>The sample's test images, which a search never sees.</summary>
    /// <exception cref="FastPruneException">The sample is not found.</exception>
    public static string TestDataPath => Locate("samples/data/test-images-idx3-ubyte");

    /// <summary>The settings of <c>fastprune run</c> without arguments: the sample model and data, <see cref="Images"/>
    /// calibration and evaluation images, <see cref="Budget"/> subnets, the test split measured.</summary>
    /// <exception cref="FastPruneException">The sample is not found.</exception>
    public static SearchSettings Search() => new()
    {
        Workspace = new WorkspaceOptions { ModelPath = ModelPath, DataPath = DataPath, Calib = Images, Eval = Images },
        TestDataPath = TestDataPath,
        Budget = Budget,
    };

    /// <summary>A bundled file: under the current folder, else beside the FastPrune assembly (the installed tool carries
    /// samples/ next to its DLL) or in a folder above it (a build in the repository).</summary>
    private static string Locate(string relative)
    {
        if (File.Exists(relative)) return relative;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
        throw new FastPruneException(FastPruneErrorKind.FileSystem,
            $"{relative}: bundled sample not found beside the tool or in the repository it was built in");
    }
}
