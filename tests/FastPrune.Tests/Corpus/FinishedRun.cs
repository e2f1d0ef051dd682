using FastPrune.Tests.Cli;
using FastPrune.Cli;
using FastPrune.Tests.Pipeline;

namespace FastPrune.Tests.Corpus;

/// <summary>
/// One small finished run (2 subnets of the ResNet sample), made once per test process in its own folder; resume
/// cases copy its run folder and break the copy. Its model and data stay where the checkpoint says they are.
/// </summary>
internal static class FinishedRun
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "fastprune-corpus-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.Copy(SampleFiles.ResNet, Path.Combine(root, "model.onnx"));
        File.Copy(SampleFiles.CalibImages, Path.Combine(root, "data", "calib-images-idx3-ubyte"));
        File.Copy(SampleFiles.CalibLabels, Path.Combine(root, "data", "calib-labels-idx1-ubyte"));
        var r = CliRun.Run("run", Path.Combine(root, "model.onnx"), "--data", Path.Combine(root, "data", "calib-images-idx3-ubyte"), "--calib", "8",
            "--eval", "8", "--budget", "2", "--recon", "paper", "--no-bench", "--threads", "1", "--seed", "3", "--out", Path.Combine(root, "run"));
        if (r.Code != ExitCodes.Ok) throw new InvalidOperationException("the corpus's finished run failed: " + r);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        };
        return root;
    });

    /// <summary>The run's model and data (outside every case folder), which no case may change.</summary>
    public static IReadOnlyList<string> Inputs =>
        [Path.Combine(Root.Value, "model.onnx"), Path.Combine(Root.Value, "data", "calib-images-idx3-ubyte"), Path.Combine(Root.Value, "run")];

    /// <summary>Copies the run folder into <paramref name="f"/> and returns the copy's path.</summary>
    public static string CopyTo(CorpusFolder f)
    {
        var dir = f.Dir("run");
        foreach (var file in Directory.GetFiles(Path.Combine(Root.Value, "run")))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        return dir;
    }
}
