using System.Buffers.Binary;

namespace FastPrune.Fuzz;

/// <summary>
/// A small deterministic mutator for the in-process smoke (AFL++ does the real work in tools/fuzz.sh): a few
/// stacked edits per input, biased towards what breaks readers: size fields set to boundary values (as
/// 32-bit integers of either byte order and as protobuf varints), truncation, and splices between seeds.
/// </summary>
public sealed class Mutator(Random random)
{
    private static readonly long[] Interesting =
        [0, 1, -1, 2, 3, 4, 7, 8, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 100_000, int.MaxValue, int.MinValue, uint.MaxValue,
         1L << 31, 1L << 32, 1L << 40, long.MaxValue / 2, long.MaxValue, long.MinValue];

    private readonly Random _random = random;

    /// <summary>A mutant of <paramref name="seeds"/>[i] for a random i; the seeds are not changed.</summary>
    public byte[] Mutate(IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(seeds[_random.Next(seeds.Count)]);
        int edits = 1 + _random.Next(4);
        for (int e = 0; e < edits; e++)
            Edit(data, seeds);
        return [.. data];
    }

    private void Edit(List<byte> d, IReadOnlyList<byte[]> seeds)
    {
        if (d.Count == 0)
        {
            d.Add((byte)_random.Next(256));
            return;
        }
        int at = _random.Next(d.Count);
        switch (_random.Next(9))
        {
            case 0: d[at] ^= (byte)(1 << _random.Next(8)); break;
            case 1: d[at] = (byte)_random.Next(256); break;
            case 2: Overwrite(d, at, Int32(Pick(), bigEndian: _random.Next(2) == 0)); break;
            case 3: Overwrite(d, at, Varint(Pick())); break;
            case 4: d.RemoveRange(at, Math.Min(d.Count - at, 1 + _random.Next(16))); break;
            case 5: d.RemoveRange(at, d.Count - at); break;
            case 6: d.InsertRange(at, Enumerable.Range(0, 1 + _random.Next(8)).Select(_ => (byte)_random.Next(256))); break;
            case 7:
                // Repeat a chunk: protobuf repeated fields, duplicated headers, nested messages.
                int len = Math.Min(d.Count - at, 1 + _random.Next(64));
                d.InsertRange(at, d.GetRange(at, len));
                break;
            default:
                byte[] other = seeds[_random.Next(seeds.Count)];
                int from = _random.Next(other.Length), n = Math.Min(other.Length - from, 1 + _random.Next(128));
                d.InsertRange(at, other.AsSpan(from, n).ToArray());
                break;
        }
    }

    private long Pick() => _random.Next(4) == 0 ? _random.NextInt64() : Interesting[_random.Next(Interesting.Length)];

    private static void Overwrite(List<byte> d, int at, byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (at + i < d.Count) d[at + i] = bytes[i];
            else d.Add(bytes[i]);
        }
    }

    private static byte[] Int32(long v, bool bigEndian)
    {
        var b = new byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)v);
        return b;
    }

    private static byte[] Varint(long v)
    {
        var b = new List<byte>(10);
        ulong u = (ulong)v;
        do
        {
            byte low = (byte)(u & 0x7F);
            u >>= 7;
            b.Add(u != 0 ? (byte)(low | 0x80) : low);
        } while (u != 0);
        return [.. b];
    }
}
