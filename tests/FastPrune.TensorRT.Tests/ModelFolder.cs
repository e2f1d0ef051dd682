using System.Text;

namespace FastPrune.TensorRT.Tests;

/// <summary>A fresh temporary folder per test for fake "models" (text specs) and engine caches.</summary>
internal sealed class ModelFolder : IDisposable
{
    public ModelFolder()
    {
        FakeShim.Install();
        Path = Directory.CreateTempSubdirectory("fp_trt_tests_").FullName;
    }

    public string Path { get; }

    /// <summary>Writes a spec (see native/trt_fake/fp_trt_fake.h) and returns its full path.</summary>
    public string Write(string fileName, string spec)
    {
        string path = System.IO.Path.Combine(Path, fileName);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, spec, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string[] FileNames() =>
        Directory.GetFiles(Path).Select(f => System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
