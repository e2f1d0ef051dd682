using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Pipeline;

/// <summary>One stored tensor of one batch: its element type, shape and raw bytes (any element type: frontiers may
/// carry int64 shape tensors next to float activations). <paramref name="Spilled"/> is where a tensor read back from a
/// spill file lies in it, so a store it is carried into can point there instead of writing it again;
/// <paramref name="Borrowed"/> marks a buffer its producer reuses, which a store copies rather than adopts;
/// <paramref name="Packed"/> is a held tensor's packed form (<see cref="ZeroPacking"/>), which a store it is carried
/// into adopts instead of packing <paramref name="Data"/> again.</summary>
internal sealed record StoredTensor(string Name, TensorElementType Type, long[] Shape, byte[] Data, SpillRegion? Spilled = null, bool Borrowed = false,
    byte[]? Packed = null);

/// <summary>One batch of a frontier: the first image's index, the image count and the tensors.</summary>
internal sealed record StoredBatch(int Start, int Count, StoredTensor[] Tensors)
{
    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public StoredTensor this[string name] => Array.Find(Tensors, t => t.Name == name)
        ?? throw new KeyNotFoundException($"tensor '{name}' is not in the stored batch");
}

/// <summary>
/// The frontier tensors of the calibration images at one cut of the network, batch by batch, written once and read
/// in order. Tensors stay in memory while the store is under its budget; the rest go to a temporary file (deleted when
/// the last store that reads it is disposed, also on error paths) so that a 224-px network at 1500 images does not
/// need its widest frontier (several GB) resident. A float tensor that does not fit as it is, and is mostly zeros
/// (post-ReLU activations), is held or spilled packed (<see cref="ZeroPacking"/>, lossless): about twice the images fit
/// the budget and a spill writes and reads about half the bytes. A stage's next frontier mostly carries tensors of the one before
/// (a residual input passes several cuts): a held tensor's array and a spilled tensor's file region are then shared,
/// not copied or written again.
/// </summary>
internal sealed class ActivationStore : IDisposable
{
    private readonly long _budget;
    private readonly string _folder;
    private readonly List<StoredBatch> _batches = [];
    private readonly HashSet<SpillFile> _files = [];
    private readonly List<byte[]> _scratch = [];
    private byte[] _packBuffer = [];
    private SpillFile? _own;

    /// <summary>A store that keeps up to <paramref name="memoryBudget"/> bytes resident and spills the rest into <paramref name="folder"/>.</summary>
    public ActivationStore(long memoryBudget, string folder)
    {
        _budget = memoryBudget;
        _folder = folder;
    }

    /// <summary>Bytes held in memory.</summary>
    public long HeldBytes { get; private set; }

    /// <summary>Bytes this store wrote to its spill file (regions shared with other stores are not counted).</summary>
    public long SpilledBytes { get; private set; }

    /// <summary>Batches added.</summary>
    public int Count => _batches.Count;

    /// <summary>Whether <paramref name="bytes"/> more would be held in memory rather than spilled.</summary>
    public bool WouldHold(long bytes) => HeldBytes + bytes <= _budget;

    /// <summary>
    /// Appends a batch. A tensor read back from a spill file keeps its region and a packed one its packed array; any
    /// other tensor is held (its array is adopted, unless borrowed: then it is copied), or past the budget packed and
    /// held, or written out before this returns.
    /// </summary>
    /// <exception cref="IOException">The spill file cannot be written.</exception>
    public void Add(StoredBatch batch)
    {
        var tensors = new StoredTensor[batch.Tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = batch.Tensors[i];
            if (t.Spilled is { } region)
            {
                if (_files.Add(region.File)) region.File.Acquire();
                tensors[i] = t with { Data = [], Packed = null };
            }
            else if (t.Packed is { } carried)
                tensors[i] = WouldHold(carried.Length) ? Hold(t with { Data = [] }, carried.Length) : Spill(t, carried, packed: true);
            else if (WouldHold(t.Data.Length))
                tensors[i] = Hold(t.Borrowed ? t with { Data = t.Data.ToArray(), Borrowed = false } : t, t.Data.Length);
            else if (TryPack(t, out int length))
            {
                var packed = _packBuffer.AsSpan(0, length);
                tensors[i] = WouldHold(length) ? Hold(t with { Data = [], Borrowed = false, Packed = packed.ToArray() }, length) : Spill(t, packed, packed: true);
            }
            else
                tensors[i] = Spill(t, t.Data, packed: false);
        }
        _batches.Add(batch with { Tensors = tensors });
    }

    private StoredTensor Hold(StoredTensor t, long bytes)
    {
        HeldBytes += bytes;
        return t;
    }

    private StoredTensor Spill(StoredTensor t, ReadOnlySpan<byte> data, bool packed)
    {
        if (_own is null)
        {
            _own = SpillFile.Create(_folder);
            _files.Add(_own);
        }
        SpilledBytes += data.Length;
        return t with { Data = [], Spilled = _own.Write(data, packed), Borrowed = false, Packed = null };
    }

    // Packs a float tensor into the reused buffer; false when packing would save less than an eighth (dense tensors such
    // as the images: unpacking them on every read would cost more than their bytes do).
    private bool TryPack(StoredTensor t, out int length)
    {
        length = 0;
        if (t.Type != TensorElementType.Float) return false;
        int max = ZeroPacking.MaxPackedBytes(t.Data.Length / 4);
        if (_packBuffer.Length < max) _packBuffer = GC.AllocateUninitializedArray<byte>(max);
        using (ReconProfile.Time("pack"))
            length = ZeroPacking.Pack(MemoryMarshal.Cast<byte, uint>(t.Data.AsSpan()), _packBuffer);
        return length <= t.Data.Length - t.Data.Length / 8;
    }

    /// <summary>
    /// Batch <paramref name="index"/>. Spilled and packed tensors are read back into scratch arrays that the next
    /// <see cref="Get"/> overwrites, so a caller must not keep a batch's arrays past it.
    /// </summary>
    /// <exception cref="IOException">The spill file cannot be read.</exception>
    public StoredBatch Get(int index)
    {
        var batch = _batches[index];
        if (Array.TrueForAll(batch.Tensors, t => t.Spilled is null && t.Packed is null)) return batch;
        var tensors = new StoredTensor[batch.Tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = batch.Tensors[i];
            byte[] data;
            if (t.Spilled is { } region)
            {
                if (region.Packed)
                {
                    if (_packBuffer.Length < region.Length) _packBuffer = GC.AllocateUninitializedArray<byte>(region.Length);
                    region.File.Read(region.Offset, _packBuffer.AsSpan(0, region.Length));
                    data = Unpack(i, t, _packBuffer.AsSpan(0, region.Length));
                }
                else
                {
                    data = Scratch(i, region.Length);
                    region.File.Read(region.Offset, data);
                }
            }
            else if (t.Packed is { } packed)
                data = Unpack(i, t, packed);
            else
            {
                tensors[i] = t;
                continue;
            }
            tensors[i] = t with { Data = data };
        }
        return batch with { Tensors = tensors };
    }

    private byte[] Unpack(int i, StoredTensor t, ReadOnlySpan<byte> packed)
    {
        var data = Scratch(i, checked((int)t.Shape.Aggregate(4L, (a, d) => a * d)));
        using (ReconProfile.Time("unpack"))
            ZeroPacking.Unpack(packed, MemoryMarshal.Cast<byte, uint>(data.AsSpan()));
        return data;
    }

    private byte[] Scratch(int i, int bytes)
    {
        while (_scratch.Count <= i) _scratch.Add([]);
        if (_scratch[i].Length != bytes) _scratch[i] = GC.AllocateUninitializedArray<byte>(bytes);
        return _scratch[i];
    }

    /// <summary>Drops the held tensors and releases the spill files (deleted once no other store reads them).</summary>
    public void Dispose()
    {
        foreach (var f in _files) f.Release();
        _files.Clear();
        _own = null;
        _batches.Clear();
        _scratch.Clear();
        _packBuffer = [];
        HeldBytes = 0;
    }
}
