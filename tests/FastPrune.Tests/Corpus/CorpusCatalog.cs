using System.Reflection;

namespace FastPrune.Tests.Corpus;

/// <summary>Every corpus case of every <see cref="CorpusSourceAttribute"/> class in this assembly, by name.</summary>
internal static class CorpusCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, CorpusCase>> Cases = new(() =>
    {
        var d = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (var type in typeof(CorpusCatalog).Assembly.GetTypes().Where(t => t.GetCustomAttribute<CorpusSourceAttribute>() is not null))
        {
            var method = type.GetMethod("Cases", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)
                ?? throw new InvalidOperationException($"{type.Name} is a corpus source without a public static Cases()");
            foreach (var c in (IEnumerable<CorpusCase>)method.Invoke(null, null)!)
                if (!d.TryAdd(c.Name, c)) throw new InvalidOperationException($"two corpus cases are named '{c.Name}'");
        }
        return d;
    });

    /// <summary>Cases by name.</summary>
    public static IReadOnlyDictionary<string, CorpusCase> All => Cases.Value;
}
