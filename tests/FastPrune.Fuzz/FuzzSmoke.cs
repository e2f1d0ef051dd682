namespace FastPrune.Fuzz;

/// <summary>What a smoke run found: the counts, and every input that raised an undocumented exception.</summary>
/// <param name="Executions">Inputs run (seeds included).</param>
/// <param name="Accepted">Inputs the target accepted.</param>
/// <param name="Findings">Each offending input with the exception it raised.</param>
public sealed record SmokeResult(int Executions, int Accepted, IReadOnlyList<(byte[] Input, Exception Error)> Findings);

/// <summary>
/// The deterministic fuzz smoke the tests run: each seed, then a fixed number of seeded mutants, through one
/// target in-process. Same seed, same inputs, same result.
/// </summary>
public static class FuzzSmoke
{
    /// <summary>Runs <paramref name="target"/> on the seeds and on <paramref name="mutants"/> mutants drawn with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="seeds"/> is empty or <paramref name="mutants"/> is negative.</exception>
    public static SmokeResult Run(FuzzTarget target, IReadOnlyList<byte[]> seeds, int mutants, int seed)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0) throw new ArgumentException("no seeds", nameof(seeds));
        ArgumentOutOfRangeException.ThrowIfNegative(mutants);
        var mutator = new Mutator(new Random(seed));
        var findings = new List<(byte[], Exception)>();
        int accepted = 0, executions = 0;
        foreach (byte[] input in seeds.Concat(Enumerable.Range(0, mutants).Select(_ => mutator.Mutate(seeds))))
        {
            executions++;
            try
            {
                if (target(input)) accepted++;
            }
            catch (Exception e)
            {
                findings.Add((input, e));
            }
        }
        return new SmokeResult(executions, accepted, findings);
    }
}
