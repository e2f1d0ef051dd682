using FastPrune.Graph.Onnx;
using FastPrune.Tests.Cli;
using FastPrune.Tests.Pipeline;

namespace FastPrune.Tests.Corpus;

/// <summary>A fresh folder for one corpus case, with writers for the inputs cases break.</summary>
public sealed class CorpusFolder : IDisposable
{
    internal CorpusFolder()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastprune-corpus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder; everything under it is snapshotted before and after the command.</summary>
    public string Root { get; }

    /// <summary>A path under the folder (not created).</summary>
    public string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Creates a sub-folder and returns its path.</summary>
    public string Dir(params string[] parts) => Directory.CreateDirectory(Path(parts)).FullName;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> and returns its path.</summary>
    public string Bytes(string name, byte[] bytes)
    {
        var p = Path(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    /// <summary>Writes a text file.</summary>
    public string Text(string name, string text) => Bytes(name, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes a model (default: the tiny conv model) and returns its path.</summary>
    public string Model(string name = "model.onnx", ModelProto? model = null)
    {
        var p = Path(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        TinyModels.Write(p, model ?? TinyModels.Conv());
        return p;
    }

    /// <summary>A private copy of a bundled sample file (so that hashing sees only this case).</summary>
    public string Copy(string source, string name)
    {
        var p = Path(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        File.Copy(source, p);
        return p;
    }

    /// <summary>A copy of the ResNet sample.</summary>
    public string ResNet() => Copy(SampleFiles.ResNet, "resnet.onnx");

    /// <summary>A copy of the sample's calibration images and labels (IDX, found beside each other).</summary>
    public string CalibData()
    {
        Copy(SampleFiles.CalibLabels, "data/calib-labels-idx1-ubyte");
        return Copy(SampleFiles.CalibImages, "data/calib-images-idx3-ubyte");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
