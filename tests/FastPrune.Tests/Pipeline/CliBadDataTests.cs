using FastPrune.Tests.Cli;
using FastPrune.Cli;
using FastPrune.Data;
using FastPrune.Tests.Data;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// Bad data and output paths through <c>fastprune prune … --data</c> and <c>fastprune eval</c>: the
/// documented exit code, exactly one line on stderr and no stack trace, nothing written beside the
/// output (an existing output file left byte-identical), and every input file untouched.
/// </summary>
public sealed class CliBadDataTests : IDisposable
{
    // Calibration 16 + evaluation 16 = every sample, so a single NaN anywhere is read.
    private const int N = 32;
    private readonly TempDir _dir = new();
    private readonly string _model;

    public CliBadDataTests()
    {
        // A private copy, so that hashing it before and after sees only this test.
        _model = _dir.File("model.onnx");
        File.Copy(SampleFiles.ResNet, _model);
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "missing-folder", ExitCodes.FileSystem },
        { "garbage-file", ExitCodes.InvalidInput },
        { "wrong-shape", ExitCodes.InvalidInput },
        { "labels-length", ExitCodes.InvalidInput },
        { "wrong-dtype", ExitCodes.InvalidInput },
        { "nan", ExitCodes.InvalidInput },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prune_BadData_OneLineErrorWithDocumentedCodeAndNothingWritten(string kind, int code)
    {
        var (data, extra) = MakeData(kind);
        var outDir = _dir.Dir("out");
        var existing = Path.Combine(outDir, "pruned.onnx");
        File.WriteAllBytes(existing, [1, 2, 3, 4, 5]);
        var before = CliAssert.Hashes(_dir.Path);
        var r = CliRun.Run(["prune", _model, "-g", "0.5", "-o", existing, "--data", data, "--calib", "16", "--eval", "16", "--threads", "1", .. extra]);
        CliAssert.OneLineError(r, code);
        Assert.Equal(before, CliAssert.Hashes(_dir.Path));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Eval_BadData_OneLineErrorWithDocumentedCodeAndInputsUntouched(string kind, int code)
    {
        var (data, extra) = MakeData(kind);
        var before = CliAssert.Hashes(_dir.Path);
        var r = CliRun.Run(["eval", _model, "--data", data, "--eval", "32", "--threads", "1", "--json", .. extra]);
        CliAssert.OneLineError(r, code);
        Assert.Equal(before, CliAssert.Hashes(_dir.Path));
    }

    [Fact]
    public void Prune_OutputFolderMissing_FileSystemErrorAndNothingWritten()
    {
        var (data, extra) = MakeData("good");
        var before = CliAssert.Hashes(_dir.Path);
        var target = _dir.File("no-such-folder", "pruned.onnx");
        var r = CliRun.Run(["prune", _model, "-g", "0.5", "-o", target, "--data", data, "--calib", "16", "--eval", "16", .. extra]);
        CliAssert.OneLineError(r, ExitCodes.FileSystem);
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)));
        Assert.Equal(before, CliAssert.Hashes(_dir.Path));
    }

    [Fact]
    public void Prune_GoodNpyData_Succeeds()
    {
        // The same fixture without the defect works, so each failure above is the defect's.
        var (data, extra) = MakeData("good");
        var target = _dir.File("pruned.onnx");
        var r = CliRun.Run(["prune", _model, "-g", "0.5", "-o", target, "--data", data, "--calib", "16", "--eval", "16", "--recon", "paper", "--threads", "1", .. extra]);
        Assert.True(r.Code == ExitCodes.Ok, r.ToString());
        Assert.True(new FileInfo(target).Length > 0);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void EvalAndPrune_LabelOutsideTheModelsClasses_RefusedWhicheverImagesTheSeedDraws(int seed)
    {
        // One evaluation image of 32 is drawn; the bad label (12, on a 10-class model) is on the last image, which a
        // seed may or may not draw: the file is refused either way, naming the image.
        var (data, _) = MakeData("good");
        var labels = _dir.File("bad-labels.npy");
        NpyFile.Write(labels, Enumerable.Range(0, N).Select(i => i == N - 1 ? 12L : i % 10).ToArray(), [N]);
        var before = CliAssert.Hashes(_dir.Path);
        string s = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var evalLine = CliAssert.OneLineError(CliRun.Run(["eval", _model, "--data", data, "--labels", labels, "--eval", "1", "--seed", s, "--threads", "1"]),
            ExitCodes.InvalidInput, data, "label 12");
        Assert.Contains($"[{N - 1}]", evalLine, StringComparison.Ordinal);
        CliAssert.OneLineError(CliRun.Run(["prune", _model, "-g", "0.5", "-o", _dir.File("p.onnx"), "--data", data, "--labels", labels,
            "--calib", "1", "--eval", "1", "--seed", s, "--threads", "1"]), ExitCodes.InvalidInput, data, "not a class of the model");
        Assert.Equal(before, CliAssert.Hashes(_dir.Path));
    }

    /// <summary>Data (and extra flags) for a 1×28×28 model, good or with one defect.</summary>
    private (string Data, string[] Extra) MakeData(string kind)
    {
        var rng = new Random(5);
        float[] Images(int n, int len) => Enumerable.Range(0, n * len).Select(_ => (float)rng.NextDouble()).ToArray();
        var npy = _dir.File(kind + ".npy");
        var labels = _dir.File(kind + "-labels.npy");
        switch (kind)
        {
            case "missing-folder":
                return (_dir.File("no-such-data", "images"), []);
            case "garbage-file":
                var garbage = _dir.File("garbage.bin");
                File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(_ => (byte)rng.Next(256)).ToArray());
                return (garbage, []);
            case "wrong-shape":
                NpyFile.Write(npy, Images(N, 3 * 32 * 32), [N, 3, 32, 32]);
                return (npy, []);
            case "wrong-dtype":
                var doubles = Enumerable.Range(0, N * 28 * 28).Select(_ => rng.NextDouble()).ToArray();
                NpyFile.Write(npy, "<f8", System.Runtime.InteropServices.MemoryMarshal.AsBytes(doubles.AsSpan()), doubles.Length, [N, 1, 28, 28]);
                return (npy, []);
            case "nan":
                var withNan = Images(N, 28 * 28);
                withNan[7 * 28 * 28 + 100] = float.NaN;
                NpyFile.Write(npy, withNan, [N, 1, 28, 28]);
                return (npy, []);
            case "labels-length":
                NpyFile.Write(npy, Images(N, 28 * 28), [N, 1, 28, 28]);
                NpyFile.Write(labels, Enumerable.Range(0, N - 1).Select(i => (long)(i % 10)).ToArray(), [N - 1]);
                return (npy, ["--labels", labels]);
            case "good":
                NpyFile.Write(npy, Images(N, 28 * 28), [N, 1, 28, 28]);
                NpyFile.Write(labels, Enumerable.Range(0, N).Select(i => (long)(i % 10)).ToArray(), [N]);
                return (npy, ["--labels", labels]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public void Dispose() => _dir.Dispose();
}
