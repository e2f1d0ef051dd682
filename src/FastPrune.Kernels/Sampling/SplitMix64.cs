namespace FastPrune.Kernels;

/// <summary>
/// A tiny seeded generator (SplitMix64, the step that seeds FastPrune's one generator in src/Shared/Xoshiro256.cs) so
/// sampling is reproducible across runtimes and machines; pass one in to draw several layers from one stream.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>
    /// A seed for item <paramref name="index"/> of the stream keyed by <paramref name="key"/> (SplitMix64's finaliser
    /// over both): draws keyed per item (a layer's rows per image) do not depend on how the items are batched.
    /// </summary>
    public static ulong Derive(ulong key, ulong index)
    {
        return Xoshiro256.Finalize(key * 0x9E3779B97F4A7C15UL ^ (index + 0x632BE59BD9B4E019UL) * 0xBF58476D1CE4E5B9UL);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64() => Xoshiro256.SplitMix64(ref _state);

    /// <summary>Uniform integer in [0, bound).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is below 1.</exception>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        // Multiply-shift: bias is below 2⁻³² for any int bound, far under sampling noise.
        return (int)((NextUInt64() >> 32) * (ulong)bound >> 32);
    }

    /// <summary>Writes <paramref name="destination"/>.Length distinct values from [offset, offset+count) in random order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More values are asked for than exist.</exception>
    public void Distinct(int offset, int count, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, count);
        // Partial Fisher–Yates over a virtual identity array: only swapped slots are stored.
        var swapped = new Dictionary<int, int>();
        for (int i = 0; i < destination.Length; i++)
        {
            int j = i + NextInt(count - i);
            int vj = swapped.TryGetValue(j, out var s) ? s : j;
            int vi = swapped.TryGetValue(i, out var t) ? t : i;
            swapped[j] = vi;
            destination[i] = offset + vj;
        }
    }
}
