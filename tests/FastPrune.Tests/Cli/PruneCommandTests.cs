using System.Text.Json;
using FastPrune.Cli;
using FastPrune.Graph.Zoo;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary><c>fastprune prune</c> and <c>inspect --json</c> end to end: predicted MACs, gene listing, and bad genomes that leave the disk alone.</summary>
public sealed class PruneCommandTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private string Zoo(string name, ZooOptions? options = null)
    {
        var p = _h.PathOf(name + ".onnx");
        File.WriteAllBytes(p, (name == "legacy_cnn" ? ZooModels.BuildLegacyCnn(2) : ZooModels.Build(name, 2, options)).ToByteArray());
        return p;
    }

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement;

    [Fact]
    public void InspectJson_VitToy_ListsGenesInStableOrder()
    {
        var (code, stdout, stderr) = CliRun.Run("inspect", Zoo("vit_toy"), "--json");

        Assert.Equal((ExitCodes.Ok, ""), (code, stderr));
        var genes = Json(stdout).GetProperty("genes").EnumerateArray()
            .Select(g => (g.GetProperty("name").GetString(), g.GetProperty("kind").GetString(), g.GetProperty("min").GetInt32(), g.GetProperty("max").GetInt32(), g.GetProperty("step").GetInt32()))
            .ToList();
        Assert.Equal(
            [
                ("/blocks/blocks.0/attn/qkv/MatMul", "heads", 1, 4, 1), ("/blocks/blocks.0/mlp/fc1/MatMul", "hidden", 1, 128, 1),
                ("/blocks/blocks.1/attn/qkv/MatMul", "heads", 1, 4, 1), ("/blocks/blocks.1/mlp/fc1/MatMul", "hidden", 1, 128, 1),
            ],
            genes);
    }

    [Fact]
    public void InspectJson_ResNet50_Has37ChannelGenes()
    {
        var (code, stdout, _) = CliRun.Run("inspect", Zoo("resnet50"), "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var root = Json(stdout);
        Assert.Equal(4_089_184_256, root.GetProperty("macs").GetInt64());
        var genes = root.GetProperty("genes").EnumerateArray().ToList();
        Assert.Equal(37, genes.Count);
        Assert.All(genes, g => Assert.Equal("channels", g.GetProperty("kind").GetString()));
        Assert.Equal("/conv1/Conv", genes[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("legacy_cnn", "0.5", "random")]
    [InlineData("vit_toy", "3,100,1,7", "l1")]
    [InlineData("vit_toy_sepqkv", "0.3", "random")]
    public void PruneJson_ThenInspect_MacsAsPredicted(string name, string genome, string select)
    {
        var model = Zoo(name);
        var output = _h.PathOf("pruned.onnx");

        var prune = CliRun.Run("prune", model, "--genome", genome, "-o", output, "--select", select, "--seed", "7", "--json");
        var inspect = CliRun.Run("inspect", output, "--json");

        Assert.Equal((ExitCodes.Ok, ""), (prune.Code, prune.Err));
        Assert.Equal((ExitCodes.Ok, ""), (inspect.Code, inspect.Err));
        var predicted = Json(prune.Out);
        Assert.Equal(output, predicted.GetProperty("out").GetString());
        Assert.Equal(predicted.GetProperty("macs").GetInt64(), Json(inspect.Out).GetProperty("macs").GetInt64());
        Assert.Equal(predicted.GetProperty("params").GetInt64(), Json(inspect.Out).GetProperty("params").GetInt64());
        Assert.True(predicted.GetProperty("macs").GetInt64() < Json(CliRun.Run("inspect", model, "--json").Out).GetProperty("macs").GetInt64());
    }

    public static IEnumerable<object[]> BadGenomes() =>
    [
        ["1,2,3", "3 counts but the model has 4 genes"],
        ["4,128,5,128", "outside 1..4"],
        ["4,0,4,128", "would remove every"],
        ["4,-3,4,128", "would remove every"],
        ["4,12.5,4,128", "is not an integer"],
        ["4,x,4,128", "is not an integer"],
        ["1.5", "keep-ratio"],
        ["0.0", "keep-ratio"],
    ];

    [Theory]
    [MemberData(nameof(BadGenomes))]
    public void Prune_BadGenome_UsageErrorAndNoFileWritten(string genome, string problem)
    {
        var model = Zoo("vit_toy");
        var output = _h.PathOf("out.onnx");

        var r = CliRun.Run("prune", model, "--genome", genome, "-o", output);

        var line = CliAssert.OneLineError(r, ExitCodes.Usage, "", problem); // about the genome, not the model file
        Assert.False(File.Exists(output), line);
        Assert.Equal([Path.GetFileName(model)], Directory.GetFiles(_h.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Prune_BadGenome_ExistingOutputLeftByteIdentical()
    {
        var model = Zoo("vit_toy");
        var output = _h.PathOf("existing.onnx");
        byte[] before = [1, 2, 3, 4, 5];
        File.WriteAllBytes(output, before);

        var r = CliRun.Run("prune", model, "--genome", "4,128,4", "-o", output);

        CliAssert.OneLineError(r, ExitCodes.Usage, "genome", "3 counts");
        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.Equal(2, Directory.GetFiles(_h.Folder).Length); // no temporary file left behind
    }

    [Fact]
    public void Prune_ModelWithoutMacs_PrintsNoShareInsteadOfNaN()
    {
        // Only element-wise ops: nothing to count, nothing to prune; the summary must not print "NaN%".
        var model = _h.PathOf("relus.onnx");
        TinyModels.Write(model, TinyModels.ReluChain(3));
        var output = _h.PathOf("out.onnx");

        var r = CliRun.Run("prune", model, "--genome", "max", "-o", output);

        Assert.Equal(ExitCodes.Ok, r.Code);
        Assert.Contains("MACs 0 (no MACs of 0)", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", r.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Prune_BadModel_InvalidInputAndExistingOutputUntouched()
    {
        var model = _h.PathOf("bad.onnx");
        File.WriteAllBytes(model, "not a model"u8.ToArray());
        var output = _h.PathOf("existing.onnx");
        File.WriteAllBytes(output, [9, 9]);

        var r = CliRun.Run("prune", model, "--genome", "max", "-o", output);

        CliAssert.OneLineError(r, ExitCodes.InvalidInput, model, "");
        Assert.Equal([9, 9], File.ReadAllBytes(output));
    }

    [Fact]
    public void PruneAndInspect_OpWithoutChannelRule_LoadsAndFreezesNamingTheNode()
    {
        // Hardmax has a shape rule but no channel rule (it compares values along an axis): the model is never refused
        // for it, the channels through it freeze.
        var model = _h.PathOf("hardmax.onnx");
        var m = TinyModels.Conv();
        m.Graph.Node.Single(n => n.Name == "/relu/Relu").OpType = "Hardmax";
        File.WriteAllBytes(model, m.ToByteArray());
        var output = _h.PathOf("out.onnx");

        var r = CliRun.Run("prune", model, "--genome", "max", "-o", output);
        var inspect = CliRun.Run("inspect", model);

        Assert.Equal((0, ""), (r.Code, r.Err));
        Assert.True(File.Exists(output));
        Assert.Equal(0, inspect.Code);
        Assert.Contains("op 'Hardmax' has no channel rule (at node '/relu/Relu')", inspect.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_NoPrunableStructure_ReportsFrozenGroupsAndRejectsCounts()
    {
        // A single conv whose channels reach the graph output: nothing may be pruned, and inspect says why.
        var model = _h.PathOf("frozen.onnx");
        var m = TinyModels.Conv();
        m.Graph.Node.RemoveAt(m.Graph.Node.Count - 1); // drop the head: relu's output becomes the graph output
        m.Graph.Output[0].Name = m.Graph.Node[^1].Output[0];
        m.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 4;
        m.Graph.Initializer.RemoveAt(m.Graph.Initializer.Count - 1);
        File.WriteAllBytes(model, m.ToByteArray());

        var inspect = CliRun.Run("inspect", model, "--json");
        var prune = CliRun.Run("prune", model, "--genome", "2", "-o", _h.PathOf("out.onnx"));

        Assert.Equal(ExitCodes.Ok, inspect.Code);
        var root = Json(inspect.Out);
        Assert.Empty(root.GetProperty("genes").EnumerateArray());
        Assert.Contains(root.GetProperty("frozen").EnumerateArray(), f => f.GetString()!.Contains("reaches graph output", StringComparison.Ordinal));
        CliAssert.OneLineError(prune, ExitCodes.Usage, "genome", "0 genes");
        Assert.False(File.Exists(_h.PathOf("out.onnx")));
    }
}
