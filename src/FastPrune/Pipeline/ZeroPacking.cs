using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastPrune.Pipeline;

/// <summary>
/// Lossless packing of 4-byte tensors that are mostly zero: one bit per element (set where its bits are not all zero)
/// followed by the non-zero elements in order. The frontier tensors of a sequential pass are convolution inputs, nearly
/// all after a ReLU, so about half their elements are zero and a packed tensor is a little over half the size: the
/// frontier store holds twice as many images in its budget and writes half as many bytes when it spills. Elements are
/// compared by their bits, so -0.0 and NaN payloads come back exactly as they went in.
/// </summary>
internal static class ZeroPacking
{
    /// <summary>The largest packed size of <paramref name="count"/> elements (none of them zero).</summary>
    public static int MaxPackedBytes(int count) => checked(8 * Words(count) + 4 * count);

    /// <summary>
    /// Packs <paramref name="values"/> into <paramref name="packed"/> (at least <see cref="MaxPackedBytes"/> long);
    /// returns the packed length.
    /// </summary>
    public static int Pack(ReadOnlySpan<uint> values, Span<byte> packed)
    {
        int words = Words(values.Length);
        var masks = MemoryMarshal.Cast<byte, ulong>(packed[..(8 * words)]);
        var dst = MemoryMarshal.Cast<byte, uint>(packed[(8 * words)..]);
        int k = 0;
        for (int w = 0; w < words; w++)
        {
            var chunk = values.Slice(64 * w, Math.Min(64, values.Length - 64 * w));
            ulong mask = chunk.Length == 64 ? NonZeroMask(chunk) : TailMask(chunk);
            masks[w] = mask;
            // Only the set bits are visited: a loop over all 64 with a data-dependent branch mispredicts about half the time.
            for (ulong m = mask; m != 0; m &= m - 1)
                dst[k++] = chunk[BitOperations.TrailingZeroCount(m)];
        }
        return 8 * words + 4 * k;
    }

    /// <summary>Unpacks <paramref name="packed"/> into <paramref name="values"/> (as many elements as were packed).</summary>
    /// <exception cref="InvalidDataException">The packed data is shorter than its masks say.</exception>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<uint> values)
    {
        int words = Words(values.Length);
        var masks = MemoryMarshal.Cast<byte, ulong>(packed[..(8 * words)]);
        var src = MemoryMarshal.Cast<byte, uint>(packed[(8 * words)..]);
        int k = 0;
        for (int w = 0; w < words; w++)
        {
            var chunk = values.Slice(64 * w, Math.Min(64, values.Length - 64 * w));
            chunk.Clear();
            ulong mask = masks[w];
            if (k + BitOperations.PopCount(mask) > src.Length)
                throw new InvalidDataException("packed frontier tensor is truncated");
            for (ulong m = mask; m != 0; m &= m - 1)
                chunk[BitOperations.TrailingZeroCount(m)] = src[k++];
        }
    }

    private static int Words(int count) => (count + 63) / 64;

    // 64 elements, four 16-lane vector compares (the JIT maps them to AVX-512, or splits them on narrower hardware).
    private static ulong NonZeroMask(ReadOnlySpan<uint> chunk)
    {
        ulong zero = 0;
        for (int i = 0; i < 4; i++)
        {
            var v = Vector512.Create(chunk.Slice(16 * i, 16));
            zero |= (ulong)Vector512.ExtractMostSignificantBits(
                Vector512.Equals(v, Vector512<uint>.Zero)) << (16 * i);
        }
        return ~zero;
    }

    private static ulong TailMask(ReadOnlySpan<uint> chunk)
    {
        ulong mask = 0;
        for (int i = 0; i < chunk.Length; i++)
            if (chunk[i] != 0) mask |= 1UL << i;
        return mask;
    }
}
