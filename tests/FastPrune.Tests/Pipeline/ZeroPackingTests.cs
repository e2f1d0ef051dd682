using FastPrune.Pipeline;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The frontier's lossless packing: every bit pattern comes back (signed zeros and NaN payloads included), at any
/// length (whole and partial 64-element words), and a half-zero tensor packs to about half its size.
/// </summary>
public sealed class ZeroPackingTests
{
    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 0.5)]
    [InlineData(63, 0.5)]
    [InlineData(64, 0.0)]
    [InlineData(64, 1.0)]
    [InlineData(1000, 0.5)]
    [InlineData(4097, 0.9)]
    public void PackUnpack_AnyLengthAndDensity_BitIdentical(int count, double zeros)
    {
        var rng = new Random(count);
        var values = new uint[count];
        for (int i = 0; i < count; i++)
            values[i] = rng.NextDouble() < zeros ? 0u : (uint)rng.Next(1, int.MaxValue) ^ (rng.Next(2) == 0 ? 0x8000_0000u : 0);
        var packed = new byte[ZeroPacking.MaxPackedBytes(count)];
        int length = ZeroPacking.Pack(values, packed);
        var back = new uint[count];
        back.AsSpan().Fill(0xDEAD_BEEF); // stale data in a reused scratch array must be overwritten, zeros included
        ZeroPacking.Unpack(packed.AsSpan(0, length), back);
        Assert.Equal(values, back);
        Assert.Equal(8 * ((count + 63) / 64) + 4 * values.Count(v => v != 0), length);
    }

    [Fact]
    public void Pack_SignedZeroAndNaN_KeptByTheirBits()
    {
        float[] floats = [0f, -0f, float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_0001), 1e-45f, 0f, -1f];
        var values = floats.Select(f => (uint)BitConverter.SingleToInt32Bits(f)).ToArray();
        var packed = new byte[ZeroPacking.MaxPackedBytes(values.Length)];
        int length = ZeroPacking.Pack(values, packed);
        var back = new uint[values.Length];
        ZeroPacking.Unpack(packed.AsSpan(0, length), back);
        Assert.Equal(values, back);
        Assert.Equal(8 + 4 * 5, length); // only the two +0.0 are left out
    }

    [Fact]
    public void Unpack_TruncatedData_Throws()
    {
        uint[] values = [1, 2, 3, 0, 5];
        var packed = new byte[ZeroPacking.MaxPackedBytes(values.Length)];
        int length = ZeroPacking.Pack(values, packed);
        Assert.Throws<InvalidDataException>(() => ZeroPacking.Unpack(packed.AsSpan(0, length - 4), new uint[values.Length]));
    }
}
