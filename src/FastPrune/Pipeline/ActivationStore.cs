using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Pipeline;

/// <summary>One stored tensor of one batch: its element type, shape and raw bytes (any element type: frontiers may
/// carry int64 shape tensors next to float activations).</summary>
internal sealed record StoredTensor(string Name, TensorElementType Type, long[] Shape, byte[] Data);

/// <summary>One batch of a frontier: the first image's index, the image count and the tensors.</summary>
internal sealed record StoredBatch(int Start, int Count, StoredTensor[] Tensors)
{
    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public StoredTensor this[string name] => Array.Find(Tensors, t => t.Name == name)
        ?? throw new KeyNotFoundException($"tensor '{name}' is not in the stored batch");
}

/// <summary>
/// The frontier tensors of the calibration images at one cut of the network, batch by batch, written once and read
/// in order. Batches stay in memory while the store is under its budget; the rest go to a temporary file (deleted
/// when the store is disposed, also on error paths) so that a 224-px network at 1500 images does not need its
/// widest frontier (several GB) resident.
/// </summary>
internal sealed class ActivationStore : IDisposable
{
    private readonly long _budget;
    private readonly string _folder;
    private readonly List<StoredBatch?> _held = [];
    private readonly List<(long Offset, StoredBatch Header, int[] Lengths)> _spilled = [];
    private readonly List<byte[]> _scratch = [];
    private FileStream? _file;

    /// <summary>A store that keeps up to <paramref name="memoryBudget"/> bytes resident and spills the rest into <paramref name="folder"/>.</summary>
    public ActivationStore(long memoryBudget, string folder)
    {
        _budget = memoryBudget;
        _folder = folder;
    }

    /// <summary>Bytes held in memory.</summary>
    public long HeldBytes { get; private set; }

    /// <summary>Bytes written to the spill file.</summary>
    public long SpilledBytes { get; private set; }

    /// <summary>Batches added.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Appends a batch, copying it (held) or writing it out (spilled) at once: the caller's arrays may be reused
    /// buffers, so nothing of theirs is kept and a spilled batch leaves no garbage behind.
    /// </summary>
    /// <exception cref="IOException">The spill file cannot be written.</exception>
    public void Add(StoredBatch batch)
    {
        long bytes = batch.Tensors.Sum(t => (long)t.Data.Length);
        if (HeldBytes + bytes <= _budget)
        {
            batch = batch with { Tensors = batch.Tensors.Select(t => t with { Data = t.Data.ToArray() }).ToArray() };
            _held.Add(batch);
            _spilled.Add((-1, batch, []));
            HeldBytes += bytes;
            return;
        }
        // DeleteOnClose: the file disappears with the store, whatever ends the reconstruction.
        _file ??= new FileStream(Path.Combine(_folder, $".fastprune-frontier-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
        long offset = _file.Seek(0, SeekOrigin.End);
        foreach (var t in batch.Tensors) _file.Write(t.Data);
        _held.Add(null);
        // The header keeps names, types, shapes and lengths only; reads go into scratch arrays shared by all batches.
        _spilled.Add((offset, batch with { Tensors = batch.Tensors.Select(t => t with { Data = [] }).ToArray() },
            batch.Tensors.Select(t => t.Data.Length).ToArray()));
        SpilledBytes += bytes;
    }

    /// <summary>
    /// Batch <paramref name="index"/>. A spilled batch is read back into scratch arrays that the next
    /// <see cref="Get"/> overwrites, so a caller must not keep a batch's arrays past it.
    /// </summary>
    /// <exception cref="IOException">The spill file cannot be read.</exception>
    public StoredBatch Get(int index)
    {
        if (_held[index] is { } held) return held;
        var (offset, header, lengths) = _spilled[index];
        _file!.Flush();
        _file.Seek(offset, SeekOrigin.Begin);
        var tensors = new StoredTensor[header.Tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            if (_scratch.Count <= i) _scratch.Add([]);
            if (_scratch[i].Length != lengths[i]) _scratch[i] = new byte[lengths[i]];
            _file.ReadExactly(_scratch[i]);
            tensors[i] = header.Tensors[i] with { Data = _scratch[i] };
        }
        return header with { Tensors = tensors };
    }

    /// <summary>Deletes the spill file and drops the held batches.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        _held.Clear();
        _spilled.Clear();
        _scratch.Clear();
        HeldBytes = 0;
    }
}
