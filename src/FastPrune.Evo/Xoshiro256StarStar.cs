namespace FastPrune.Evo;

/// <summary>
/// The xoshiro256** generator (Blackman and Vigna, 2018): 256 bits of state, period 2^256 − 1, fast
/// and statistically strong. Every random decision of the search draws from one of these, passed in
/// explicitly, so that a run depends only on its seed and never on <see cref="System.Random"/>'s
/// implementation, which .NET may change between versions.
/// </summary>
/// <remarks>Not thread-safe; not for cryptography.</remarks>
public sealed class Xoshiro256StarStar
{
    // The state and the draws are FastPrune's one generator (src/Shared/Xoshiro256.cs); this class is Evo's public face of it.
    private Xoshiro256 _core;

    /// <summary>Seeds the state by running SplitMix64 from <paramref name="seed"/>, as the authors recommend,
    /// so that nearby seeds (0, 1, 2 …) give unrelated streams and the state is never all zero.</summary>
    /// <param name="seed">Any value; equal seeds give equal streams.</param>
    public Xoshiro256StarStar(ulong seed) => _core = new Xoshiro256(seed);

    /// <summary>Returns the next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>Returns a uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _core.NextDouble();

    /// <summary>Returns a uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>),
    /// the same convention as <see cref="System.Random.Next(int, int)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> ≤ <paramref name="minInclusive"/>.</exception>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"must be greater than minInclusive ({minInclusive}).");
        return (int)(minInclusive + (long)NextBelow((ulong)((long)maxExclusive - minInclusive)));
    }

    /// <summary>Returns a uniform integer in [0, <paramref name="bound"/>) without modulo bias.</summary>
    internal ulong NextBelow(ulong bound) => _core.NextBelow(bound);

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items) => _core.Shuffle(items);
}
