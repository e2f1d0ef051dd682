namespace FastPrune.Evo;

/// <summary>Compares genomes by content, so an archive of evaluated genomes can be a hash set.</summary>
public sealed class GenomeComparer : IEqualityComparer<int[]>
{
    /// <summary>The one instance.</summary>
    public static GenomeComparer Instance { get; } = new();

    private GenomeComparer() { }

    /// <inheritdoc/>
    public bool Equals(int[]? x, int[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    /// <inheritdoc/>
    public int GetHashCode(int[] obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var h = new HashCode();
        h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return h.ToHashCode();
    }
}
