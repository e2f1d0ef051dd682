namespace FastPrune.Tests.Corpus;

/// <summary>
/// One bad input of the standing corpus: how to lay it out in a fresh folder, and the answer FastPrune must give
/// (exit code, one stderr line naming <see cref="CorpusCall.Names"/> and containing <see cref="Cause"/>).
/// </summary>
/// <param name="Name">Unique, stable name (kind/what), shown as the theory row.</param>
/// <param name="Exit">The documented exit code.</param>
/// <param name="Cause">Text the error line must contain (case-insensitive).</param>
/// <param name="Arrange">Writes the inputs under the folder and returns the command line.</param>
public sealed record CorpusCase(string Name, int Exit, string Cause, Func<CorpusFolder, CorpusCall> Arrange)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The command line of a case and what its error line must name.</summary>
/// <param name="Args">fastprune's arguments.</param>
/// <param name="Names">The file, folder, node, tensor or flag the error line must name.</param>
/// <param name="Outside">Paths outside the case folder that must be unchanged too (a sample, a device node).</param>
/// <param name="Progress">True for <c>run</c>, which may print its progress lines (folder, loading) before the error.</param>
/// <param name="Holding">Something the case holds while the command runs (a lock), released afterwards.</param>
public sealed record CorpusCall(string[] Args, string Names, IReadOnlyList<string>? Outside = null, bool Progress = false, IDisposable? Holding = null);

/// <summary>
/// Marks a static class holding corpus cases in a <c>public static IEnumerable&lt;CorpusCase&gt; Cases()</c> method;
/// <see cref="CorpusCatalog"/> finds every such class, so a new file of cases needs no edit elsewhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CorpusSourceAttribute : Attribute;
