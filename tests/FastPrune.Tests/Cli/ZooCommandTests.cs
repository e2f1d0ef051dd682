using FastPrune.Cli;
using FastPrune.Graph;
using FastPrune.Graph.Zoo;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary><c>fastprune zoo</c>: writes exactly what ZooModels.Build gives, and refuses bad names and options with one line.</summary>
public sealed class ZooCommandTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("mobilenetv1", new[] { "--seed", "4" }, 4UL, 13, false)]
    [InlineData("vit_toy", new[] { "--opset", "17", "--static" }, 0UL, 17, true)]
    [InlineData("vit_toy_sepqkv", new[] { "--opset", "11", "--seed", "9" }, 9UL, 11, false)]
    public void Zoo_KnownName_WritesTheBuiltModel(string name, string[] flags, ulong seed, int opset, bool isStatic)
    {
        var output = _h.PathOf("m.onnx");

        var (code, stdout, stderr) = CliRun.Run(["zoo", name, "-o", output, .. flags]);

        Assert.Equal((ExitCodes.Ok, ""), (code, stderr));
        Assert.Contains(output, stdout, StringComparison.Ordinal);
        var expected = ZooModels.Build(name, seed, new ZooOptions { Opset = opset, StaticBatch = isStatic }).ToByteArray();
        Assert.Equal(expected, File.ReadAllBytes(output));
        Assert.Equal(opset, OnnxModel.Load(output).Opset);
    }

    [Fact]
    public void Zoo_LegacyCnn_WritesOpset9Model()
    {
        var output = _h.PathOf("legacy.onnx");
        var r = CliRun.Run("zoo", "legacy_cnn", "-o", output, "--seed", "3");
        Assert.Equal(ExitCodes.Ok, r.Code);
        Assert.Equal(ZooModels.BuildLegacyCnn(3).ToByteArray(), File.ReadAllBytes(output));
    }

    [Theory]
    [InlineData(new[] { "zoo", "resnet51", "-o", "OUT" }, "unknown zoo model 'resnet51'")]
    [InlineData(new[] { "zoo", "vit_toy", "-o", "OUT", "--opset", "9" }, "--opset 9")]
    [InlineData(new[] { "zoo", "legacy_cnn", "-o", "OUT", "--static" }, "legacy_cnn")]
    [InlineData(new[] { "zoo", "vit_toy", "-o", "OUT", "--seed", "-1" }, "-1")]
    [InlineData(new[] { "zoo", "vit_toy" }, "-o")]
    public void Zoo_BadArguments_UsageErrorOneLineNoFile(string[] args, string problem)
    {
        var output = _h.PathOf("out.onnx");
        var r = CliRun.Run(args.Select(a => a == "OUT" ? output : a).ToArray());

        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Equal("", r.Out);
        Assert.Contains(problem, Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Zoo_MissingFolder_FileSystemErrorOneLine()
    {
        var output = _h.PathOf(Path.Combine("no", "such", "m.onnx"));
        var r = CliRun.Run("zoo", "vit_toy", "-o", output);
        CliAssert.OneLineError(r, ExitCodes.FileSystem, output, "does not exist");
    }
}
