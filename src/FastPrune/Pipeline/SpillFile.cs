namespace FastPrune.Pipeline;

/// <summary>Where a spilled tensor lies: its file, offset and length, and whether it is written packed (<see cref="ZeroPacking"/>).</summary>
internal sealed record SpillRegion(SpillFile File, long Offset, int Length, bool Packed = false);

/// <summary>
/// A temporary file of spilled tensors, shared by the stores that read it (reference counted): DeleteOnClose removes it
/// when the last one releases it, whatever ends the reconstruction.
/// </summary>
internal sealed class SpillFile
{
    private readonly FileStream _stream;
    private int _references = 1;
    private bool _dirty;

    private SpillFile(FileStream stream) => _stream = stream;

    /// <summary>A new file in <paramref name="folder"/>, with one reference (its creator's).</summary>
    public static SpillFile Create(string folder) => new(new FileStream(Path.Combine(folder, $".fastprune-frontier-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose));

    /// <summary>Appends <paramref name="data"/>, packed or not as <paramref name="packed"/> says; returns its region.</summary>
    public SpillRegion Write(ReadOnlySpan<byte> data, bool packed)
    {
        long offset = _stream.Seek(0, SeekOrigin.End);
        _stream.Write(data);
        _dirty = true;
        return new SpillRegion(this, offset, data.Length, packed);
    }

    /// <summary>Reads the region at <paramref name="offset"/> into <paramref name="destination"/> (its length).</summary>
    public void Read(long offset, Span<byte> destination)
    {
        if (_dirty)
        {
            _stream.Flush();
            _dirty = false;
        }
        _stream.Seek(offset, SeekOrigin.Begin);
        _stream.ReadExactly(destination);
    }

    /// <summary>One more store reads the file.</summary>
    public void Acquire() => _references++;

    /// <summary>One store less reads the file; the last closes (and so deletes) it.</summary>
    public void Release()
    {
        if (--_references == 0) _stream.Dispose();
    }
}
