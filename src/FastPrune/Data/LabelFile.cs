using System.Runtime.InteropServices;

namespace FastPrune.Data;

/// <summary>Reads class labels from a 1-D int64/int32 <c>.npy</c> or an unsigned-byte IDX labels file.</summary>
internal static class LabelFile
{
    /// <summary>Reads the labels in <paramref name="path"/> and checks there is one per sample.</summary>
    /// <param name="path">A labels .npy (<c>&lt;i8</c> or <c>&lt;i4</c>, 1-D) or IDX (0x00000801) file, optionally gzipped.</param>
    /// <param name="expectedCount">Number of samples the labels belong to.</param>
    /// <returns>One non-negative label per sample.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    /// <exception cref="DataException">Wrong format, dtype or rank, a count that differs from the samples', a truncated file, or a negative label.</exception>
    public static int[] Read(string path, int expectedCount)
    {
        int[] labels = IsNpy(path) ? ReadNpy(path) : ReadIdx(path);
        if (labels.Length != expectedCount)
        {
            throw new DataException(path, $"{labels.Length} labels for {expectedCount} images");
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new DataException(path, $"label {labels[i]} at index {i} is negative");
            }
        }
        return labels;
    }

    private static bool IsNpy(string path)
    {
        using FileStream fs = File.OpenRead(path);
        Span<byte> m = stackalloc byte[6];
        return fs.ReadAtLeast(m, 6, throwOnEndOfStream: false) == 6 && m.SequenceEqual(NpyHeader.Magic);
    }

    private static int[] ReadNpy(string path)
    {
        using FileStream fs = File.OpenRead(path);
        NpyHeader h = NpyHeader.Read(fs, path);
        int size = h.Descr switch
        {
            "<i8" => 8,
            "<i4" => 4,
            _ => throw new DataException(path, $"labels dtype '{h.Descr}' is not int64 ('<i8') or int32 ('<i4')"),
        };
        if (h.Shape.Length != 1)
        {
            throw new DataException(path, $"labels shape ({string.Join(", ", h.Shape)}) is not 1-D");
        }
        long n = h.Shape[0];
        // Compared by division: a count near long.MaxValue must not wrap n * size into a small size.
        if (n > (fs.Length - h.DataOffset) / size)
        {
            throw new DataException(path, $"truncated: {fs.Length} bytes, the header promises {n} labels of {size} bytes after {h.DataOffset}");
        }
        if (n * size > Array.MaxLength)
        {
            throw new DataException(path, $"{n} labels is more than supported");
        }
        var bytes = new byte[n * size];
        fs.Position = h.DataOffset;
        fs.ReadExactly(bytes);
        var labels = new int[n];
        if (size == 4)
        {
            MemoryMarshal.Cast<byte, int>(bytes).CopyTo(labels);
            return labels;
        }
        ReadOnlySpan<long> wide = MemoryMarshal.Cast<byte, long>(bytes);
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = wide[i] is >= int.MinValue and <= int.MaxValue
                ? (int)wide[i]
                : throw new DataException(path, $"label {wide[i]} at index {i} is out of range");
        }
        return labels;
    }

    private static int[] ReadIdx(string path)
    {
        if (IdxFile.PeekMagic(path) != 0x00000801)
        {
            throw new DataException(path, "not a labels file (expected an int64/int32 .npy or an IDX labels file, magic 0x00000801)");
        }
        using IdxFile idx = IdxFile.Open(path);
        var bytes = new byte[idx.Dims[0]];
        idx.Read(0, bytes);
        return [.. bytes.Select(b => (int)b)];
    }
}
