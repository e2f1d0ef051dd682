namespace FastPrune.Graph.Zoo;

/// <summary>
/// The zoo's weight stream: FastPrune's one generator (xoshiro256** seeded through SplitMix64, src/Shared/Xoshiro256.cs)
/// rather than <see cref="Random"/>, because zoo weights must be byte-identical across .NET versions for a given seed,
/// and because filling ~86 M floats has to take well under a second.
/// </summary>
internal sealed class ZooRandom
{
    private Xoshiro256 _core;

    public ZooRandom(ulong seed) => _core = new Xoshiro256(seed);

    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>Uniform in [0, 1) with 24 random bits, the full float mantissa.</summary>
    public float NextFloat() => _core.NextSingle();

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
}
