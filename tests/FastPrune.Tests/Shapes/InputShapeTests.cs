using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Pipeline;
using FastPrune.Tests.Cli;
using Xunit;

namespace FastPrune.Tests.Shapes;

/// <summary>
/// <c>--input-shape</c> and data-sized inputs on the dynamic-H/W family export: the error without them names the
/// input and the flag, the flag and IDX / .npy data each make it load with the MACs of the fixed-size export,
/// a bad value is a usage error, and the models written keep the original's dynamic dims.
/// </summary>
public sealed class InputShapeTests : IDisposable
{
    private static readonly string Families = Path.Combine(Path.GetDirectoryName(Pipeline.SampleFiles.ResNet)!, "..", "tests", "fixtures", "families");
    private static readonly string Dynamic = Path.GetFullPath(Path.Combine(Families, "mobilenet_v2_dynamic_hw.onnx"));
    private static readonly string Fixed = Path.GetFullPath(Path.Combine(Families, "mobilenet_v2.onnx"));
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("1,3,224,224", null, new long[] { 1, 3, 224, 224 })]
    [InlineData("images:1,3,5,7", "images", new long[] { 1, 3, 5, 7 })]
    [InlineData("a:b:2, 9", "a:b", new long[] { 2, 9 })]
    public void Parse_ValidText_NameAndDims(string text, string? name, long[] dims)
    {
        var s = InputShape.Parse(text);

        Assert.Equal(name, s.Name);
        Assert.Equal(dims, s.Dims);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1,,3")]
    [InlineData("1,0,3")]
    [InlineData("1,-3")]
    [InlineData("x:")]
    [InlineData(":1,2")]
    [InlineData("1,3,h,w")]
    public void Parse_InvalidText_ThrowsFormatException(string text) =>
        Assert.Throws<FormatException>(() => InputShape.Parse(text));

    [Fact]
    public void Inspect_DynamicHwWithoutFlag_UsageErrorNamingInputAndFlag()
    {
        var r = CliRun.Run("inspect", Dynamic);

        var line = CliAssert.OneLineError(r, ExitCodes.Usage, "input 'input'", "--input-shape input:1,3,H,W");
        Assert.Contains("[batch,3,height,width]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DynamicHwWithFlag_MacsAndFractionOfTheFixedSizeExport()
    {
        var dyn = CliRun.Run("inspect", Dynamic, "--json", "--input-shape", "1,3,64,64");
        var fix = CliRun.Run("inspect", Fixed, "--json");

        Assert.Equal((0, ""), (dyn.Code, dyn.Err));
        using var a = JsonDocument.Parse(dyn.Out);
        using var b = JsonDocument.Parse(fix.Out);
        Assert.Equal(b.RootElement.GetProperty("macs").GetInt64(), a.RootElement.GetProperty("macs").GetInt64());
        double fraction = a.RootElement.GetProperty("prunable_macs_fraction").GetDouble();
        Assert.Equal(b.RootElement.GetProperty("prunable_macs_fraction").GetDouble(), fraction, 12);
        Assert.InRange(fraction, 0.9, 1.0);
        Assert.Equal(b.RootElement.GetProperty("genes").GetArrayLength(), a.RootElement.GetProperty("genes").GetArrayLength());
    }

    [Theory]
    [InlineData("x:1,3,64,64", "the model has no input 'x'")]
    [InlineData("1,3,64", "has rank 4")]
    [InlineData("1,4,64,64", "fixes dim 1 to 3")]
    [InlineData("1,3,six,64", "is not a positive integer")]
    public void Inspect_BadInputShape_UsageError(string value, string problem)
    {
        var r = CliRun.Run("inspect", Dynamic, "--input-shape", value);

        CliAssert.OneLineError(r, ExitCodes.Usage, "--input-shape", problem);
    }

    [Fact]
    public void Prune_WithInputShape_WrittenModelKeepsDynamicDims()
    {
        var output = _h.PathOf("p.onnx");

        var r = CliRun.Run("prune", Dynamic, "--input-shape", "1,3,40,48", "-g", "0.5", "-o", output);

        Assert.Equal((0, ""), (r.Code, r.Err));
        var dims = OnnxModel.Load(output).Proto.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal(["batch", "", "height", "width"], dims.Select(d => d.DimParam));
        Assert.Equal(3, dims[1].DimValue);
    }

    [Fact]
    public void Bench_DynamicHwWithInputShape_Runs()
    {
        var r = CliRun.Run("bench", Dynamic, "--input-shape", "1,3,32,32", "--engine", "ort-cpu", "--batch", "2", "--warmup", "0", "--iters", "1");

        Assert.Equal((0, ""), (r.Code, r.Err));
    }

    [Fact]
    public void Options_IdxData_SizeFromTheData()
    {
        var options = ModelLoader.Options(OnnxModel.Load(Dynamic), [], Pipeline.SampleFiles.CalibImages);

        var s = Assert.Single(options.InputShapes);
        Assert.Equal("input:1,3,28,28", s.ToString());
        Assert.NotNull(options.Oracle);
    }

    [Fact]
    public void Options_NpyData_SizeFromItsHeader()
    {
        var npy = _h.PathOf("x.npy");
        NpyFile.Write(npy, new float[2 * 3 * 20 * 24], [2, 3, 20, 24]);

        var options = ModelLoader.Options(OnnxModel.Load(Dynamic), [], npy);

        Assert.Equal("input:1,3,20,24", Assert.Single(options.InputShapes).ToString());
    }

    [Fact]
    public void Options_ImageFolder_RefusedNamingTheFlag()
    {
        Directory.CreateDirectory(_h.PathOf("images"));

        var e = Assert.Throws<InputShapeException>(() => ModelLoader.Options(OnnxModel.Load(Dynamic), [], _h.PathOf("images")));

        Assert.Contains("image folder", e.Message, StringComparison.Ordinal);
        Assert.Contains("--input-shape input:1,3,H,W", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UserShapeAndData_UserShapeWins()
    {
        var options = ModelLoader.Options(OnnxModel.Load(Dynamic), [InputShape.Parse("1,3,32,32")], Pipeline.SampleFiles.CalibImages);

        Assert.Equal("1,3,32,32", Assert.Single(options.InputShapes).ToString());
    }

    [Fact]
    public void PruneWithData_DynamicHwFromIdx_RunsAndReportsMacsAtTheDataSize()
    {
        var output = _h.PathOf("d.onnx");

        var r = CliRun.Run("prune", Dynamic, "--data", Pipeline.SampleFiles.CalibImages, "--calib", "8", "--eval", "8",
            "--recon", "paper", "--device", "cpu", "-g", "0.5", "-o", output, "--json");

        Assert.Equal((0, ""), (r.Code, r.Err.Split('\n').Where(l => !l.Contains("note:", StringComparison.Ordinal) && l.Length > 0).FirstOrDefault() ?? ""));
        using var json = JsonDocument.Parse(r.Out);
        var written = OnnxModel.Load(output);
        Assert.Equal("height", written.Proto.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimParam);
        long macs = ModelCost.Compute(written.WithShapeOptions(new ShapeOptions([InputShape.Parse("1,3,28,28")]))).Macs;
        Assert.Equal(macs, json.RootElement.GetProperty("macs").GetInt64());
    }
}
