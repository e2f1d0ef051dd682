using System.Text.Json;
using FastPrune.Cli;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary>
/// Issue 15: '1' and '5e-1' were refused as "1 counts but the model has N genes"; a single number is a keep-ratio
/// in any float notation (the refused forms are in the corpus, OptionCases).
/// </summary>
public sealed class GenomeFormsTests : IDisposable
{
    private readonly CliHarness _h = new();

    public void Dispose() => _h.Dispose();

    private long Macs(string genome)
    {
        var r = CliRun.Run("prune", Pipeline.SampleFiles.ResNet, "-g", genome, "-o", _h.PathOf($"out-{Guid.NewGuid():N}.onnx"), "--json");
        Assert.True(r.Code == ExitCodes.Ok, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.GetProperty("macs").GetInt64();
    }

    [Fact]
    public void Prune_KeepRatioOne_SameMacsAsMax() => Assert.Equal(Macs("max"), Macs("1"));

    [Theory]
    [InlineData("5e-1")]
    [InlineData("0.50")]
    [InlineData(".5")]
    public void Prune_KeepRatioHalfInAnyNotation_SameMacsAsPointFive(string genome) => Assert.Equal(Macs("0.5"), Macs(genome));
}
