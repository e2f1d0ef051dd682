using FastPrune.Fuzz;
using Xunit;

namespace FastPrune.Tests.Fuzz;

/// <summary>
/// The deterministic fuzz smoke: every seed, then 2,000 seeded mutants, through each fuzz target in-process.
/// Only the documented refusals (ModelFormatException, DataException: exit code 3) may occur; anything else
/// (IndexOutOfRange, Overflow, OutOfMemory, an ArgumentException from deep inside) is what the CLI would
/// report as an internal error. The long runs are tools/fuzz.sh.
/// </summary>
[Trait("Category", "Slow")] // 30 s of seeded mutants (measured under load): left out by tools/test.sh --fast
public sealed class FuzzSmokeTests
{
    private const int Mutants = 2000;

    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_Seeds_AllAccepted(string name)
    {
        using var targets = new FuzzTargets();
        var seeds = SeedCorpus.For(name);

        var r = FuzzSmoke.Run(targets[name], seeds, mutants: 0, seed: 0);

        Assert.Empty(r.Findings);
        Assert.Equal(seeds.Count, r.Accepted);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_SeededMutants_OnlyDocumentedRefusals(string name)
    {
        using var targets = new FuzzTargets();

        var r = FuzzSmoke.Run(targets[name], SeedCorpus.For(name), Mutants, seed: 15);

        Assert.True(r.Findings.Count == 0, $"{r.Findings.Count} of {r.Executions} inputs raised undocumented exceptions: " +
            string.Join(" | ", r.Findings.Take(5).Select(f => $"{f.Error.GetType().Name}: {f.Error.Message} at {FirstFrame(f.Error)}")));
        // The mutants must reach past the first check and also be refused, or the smoke tests nothing.
        Assert.InRange(r.Accepted, 20, r.Executions - 200);
    }

    [Fact]
    public void Run_SameSeed_SameInputs()
    {
        var seeds = SeedCorpus.For("idx");
        var first = new List<byte[]>();
        var second = new List<byte[]>();

        FuzzSmoke.Run(input => { first.Add(input.ToArray()); return true; }, seeds, 50, seed: 3);
        FuzzSmoke.Run(input => { second.Add(input.ToArray()); return true; }, seeds, 50, seed: 3);

        Assert.Equal(53, first.Count);
        Assert.Equal(first, second);
        Assert.Contains(first.Skip(seeds.Count), m => !seeds.Any(s => s.AsSpan().SequenceEqual(m)));
    }

    private static string FirstFrame(Exception e) =>
        e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("FastPrune.", StringComparison.Ordinal))?.Trim() ?? "?";
}
