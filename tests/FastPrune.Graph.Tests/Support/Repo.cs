namespace FastPrune.Graph.Tests.Support;

/// <summary>Paths of the repository's committed fixtures.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    public static string Sample(string name) => Path.Combine(Samples, name);

    public static IEnumerable<object[]> SampleModels() =>
        new[] { "resnet.onnx", "mobilenet.onnx", "vit.onnx" }.Select(n => new object[] { n });

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FastPrune.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
