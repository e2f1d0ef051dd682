namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The bundled samples (models with input 1×28×28 and 10 classes, IDX calibration and test data),
/// found by walking up from the test binaries to the repository root. Tests use them only for
/// mechanics and numerics, never for their accuracy, so retrained files with the same names pass too.
/// </summary>
internal static class SampleFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "samples", "resnet.onnx")))
                return Path.Combine(d.FullName, "samples");
        throw new InvalidOperationException("samples/resnet.onnx not found above " + AppContext.BaseDirectory);
    });

    public static string ResNet => Path.Combine(Root.Value, "resnet.onnx");

    public static string Vit => Path.Combine(Root.Value, "vit.onnx");

    public static string MobileNet => Path.Combine(Root.Value, "mobilenet.onnx");

    public static string CalibImages => Path.Combine(Root.Value, "data", "calib-images-idx3-ubyte");

    public static string CalibLabels => Path.Combine(Root.Value, "data", "calib-labels-idx1-ubyte");

    public static string TestImages => Path.Combine(Root.Value, "data", "test-images-idx3-ubyte");
}
