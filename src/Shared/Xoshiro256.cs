namespace FastPrune;

/// <summary>
/// The one seeded generator of FastPrune: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, with the
/// SplitMix64 step and finaliser that seed it. This file is compiled into each library project as an internal type
/// (src/Shared/README.md says why); each project's seeded streams (Evo's search, the zoo's weights, the kernels' row
/// sampling, channel selection, the data split, benchmark inputs) draw from it, so none depends on
/// <see cref="System.Random"/>'s implementation, which .NET may change between versions.
/// </summary>
/// <remarks>A mutable struct: keep it in a field or local and call it in place (a copy would repeat the stream).
/// Not thread-safe; not for cryptography.</remarks>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the state by running SplitMix64 from <paramref name="seed"/>, as the authors recommend, so that
    /// nearby seeds (0, 1, 2 …) give unrelated streams and the state is never all zero.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> by the golden-ratio increment and returns the
    /// finalised value.</summary>
    public static ulong SplitMix64(ref ulong state) => Finalize(state += 0x9E3779B97F4A7C15UL);

    /// <summary>SplitMix64's finaliser (a bijection that spreads every input bit over the output).</summary>
    public static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) from the top 24 bits (the full float mantissa).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's multiply-and-reject:
    /// the rejection zone is below 2^64 mod bound). <paramref name="bound"/> must be at least 1.</summary>
    public ulong NextBelow(ulong bound)
    {
        UInt128 m = (UInt128)NextUInt64() * bound;
        ulong low = (ulong)m;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * bound;
                low = (ulong)m;
            }
        }
        return (ulong)(m >> 64);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the last item down).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBelow((ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
