namespace FastPrune.Graph.Zoo;

/// <summary>
/// xoshiro256** seeded through SplitMix64. Written out here rather than using <see cref="Random"/>
/// because zoo weights must be byte-identical across .NET versions for a given seed, and because
/// filling ~86 M floats has to take well under a second.
/// </summary>
internal sealed class ZooRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public ZooRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits, the full float mantissa.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>
    /// Fills <paramref name="destination"/> with values uniform in [-bound, bound). Two 24-bit draws
    /// are cut from each 64-bit output, which halves the generator cost on the large DeiT tensors.
    /// </summary>
    public void FillUniform(Span<float> destination, float bound)
    {
        const float Scale = 1f / (1 << 24);
        float twoBound = 2f * bound;
        int i = 0;
        for (; i + 1 < destination.Length; i += 2)
        {
            ulong r = NextUInt64();
            destination[i] = ((r >> 40) * Scale * twoBound) - bound;
            destination[i + 1] = (((r >> 8) & 0xFFFFFF) * Scale * twoBound) - bound;
        }

        if (i < destination.Length)
        {
            destination[i] = (NextFloat() * twoBound) - bound;
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));
}
