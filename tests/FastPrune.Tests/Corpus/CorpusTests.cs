using Xunit;

namespace FastPrune.Tests.Corpus;

/// <summary>The standing corpus of bad inputs (see README.md in this folder): one theory row per case.</summary>
public sealed class CorpusTests
{
    /// <summary>Every case's name; names serialise, so each case is reported as its own test.</summary>
    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var n in CorpusCatalog.All.Keys.Order(StringComparer.Ordinal)) d.Add(n);
        return d;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Cli_CorpusCase_RefusedWithOneLineAndNothingWritten(string name) => CorpusRunner.Check(CorpusCatalog.All[name]);

    [Fact]
    public void Catalog_AllSources_HoldAtLeast150Cases()
    {
        // The floor for the standing corpus, counted over every source file together.
        Assert.True(CorpusCatalog.All.Count >= 150, $"{CorpusCatalog.All.Count} cases");
    }
}
