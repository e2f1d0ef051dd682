using System.Security.Cryptography;
using FastPrune.Data;
using FastPrune.Tests.Cli;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Fuzz;

/// <summary>
/// Inputs the fuzzers found that crashed FastPrune, committed as files under <c>Fuzz/findings/</c>, each
/// asserting the one-line error and exit code it gets now, and that it is left untouched.
/// </summary>
public sealed class FuzzFindingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The fuzz smoke (image target, seed 1, mutant 2,300): the 8×8 BMP seed with its pixel-data offset set to
    /// 0xCB000036. Skia's BMP codec skipped 3.4 GB through SkiaSharp's managed-stream callback, which threw
    /// ArgumentOutOfRangeException inside a native call, and the runtime aborted the process (SIGABRT, no
    /// message, no exit code of ours). Skia now reads the file from native memory.
    /// </summary>
    [Fact]
    public void Eval_BmpWithPixelOffsetPast4GB_ExitsInvalidNamingImage()
    {
        string image = Path.Combine(_dir.Dir("images", "cat"), "finding.bmp");
        File.Copy(Finding("bmp-pixel-offset-3gb.bmp"), image);
        byte[] before = SHA256.HashData(File.ReadAllBytes(image));

        var r = CliRun.Run("eval", SampleFiles.ResNet, "--data", _dir.File("images"), "--eval", "1", "--threads", "1");

        CliAssert.OneLineError(r, 3, image, "image does not decode");
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(image)));
    }

    [Fact]
    public void Decode_BmpWithPixelOffsetPast4GB_ThrowsDataException()
    {
        string path = Finding("bmp-pixel-offset-3gb.bmp");

        DataAssert.Fails(() => ImageDecoder.Decode(path).Dispose(), path, "image does not decode");
    }

    internal static string Finding(string name) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SampleFiles.ResNet)!, "..", "tests", "FastPrune.Tests", "Fuzz", "findings", name));
}
