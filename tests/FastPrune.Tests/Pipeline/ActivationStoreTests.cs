using FastPrune.Pipeline;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace FastPrune.Tests.Pipeline;

/// <summary>
/// The frontier store: what fits its budget is held, the rest spilled; a tensor carried into the next stage's store
/// is shared (its array adopted or its file region referenced), a borrowed buffer is copied, and the spill file goes
/// when the last store reading it is disposed.
/// </summary>
public sealed class ActivationStoreTests : IDisposable
{
    private readonly DirectoryInfo _spill = Directory.CreateTempSubdirectory("fastprune-store-test-");

    private static StoredTensor Tensor(string name, int floats, int seed, bool borrowed = false)
    {
        var data = new byte[floats * 4];
        new Random(seed).NextBytes(data);
        return new StoredTensor(name, TensorElementType.Float, [1, floats], data, Borrowed: borrowed);
    }

    [Fact]
    public void Add_CarriedIntoNextStore_SharesArraysAndRegionsUntilTheLastStoreIsDisposed()
    {
        var a = Tensor("a", 100, 1);
        var b = Tensor("b", 100, 2);
        var first = new ActivationStore(500, _spill.FullName);
        // 400 bytes each: a is held, b goes past the 500-byte budget.
        first.Add(new StoredBatch(0, 1, [a, b]));
        Assert.Equal(400, first.HeldBytes);
        Assert.Equal(400, first.SpilledBytes);
        var read = first.Get(0);
        Assert.Same(a.Data, read["a"].Data);
        Assert.Equal(b.Data, read["b"].Data);
        Assert.NotNull(read["b"].Spilled);

        // The next stage carries both and adds a borrowed buffer of its own.
        var c = Tensor("c", 50, 3, borrowed: true);
        var next = new ActivationStore(1000, _spill.FullName);
        next.Add(new StoredBatch(0, 1, [read["a"], read["b"], c]));
        Assert.Equal(0, next.SpilledBytes); // b's region is referenced, not written again
        first.Dispose();
        Assert.Single(_spill.EnumerateFiles()); // still read by the next store

        var again = next.Get(0);
        Assert.Same(a.Data, again["a"].Data);
        Assert.Equal(b.Data, again["b"].Data);
        Assert.Equal(c.Data, again["c"].Data);
        Assert.NotSame(c.Data, again["c"].Data);
        next.Dispose();
        Assert.Empty(_spill.EnumerateFiles());
    }

    // Post-ReLU-like data: every other float zero, the rest random non-zero bit patterns.
    private static StoredTensor HalfZero(string name, int floats, int seed, bool borrowed = false)
    {
        var rng = new Random(seed);
        var data = new byte[floats * 4];
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(data.AsSpan());
        for (int i = 0; i < floats; i += 2) words[i] = (uint)rng.Next(1, int.MaxValue);
        return new StoredTensor(name, TensorElementType.Float, [1, floats], data, Borrowed: borrowed);
    }

    [Fact]
    public void Add_HalfZeroTensorsPastTheBudget_PackedHeldOrSpilledAndReadBackExactly()
    {
        // 4000 bytes each, about 2000 packed: a fits as it is, b only packed, c neither (spilled packed); d is dense.
        var a = HalfZero("a", 1000, 1);
        var b = HalfZero("b", 1000, 2, borrowed: true);
        var c = HalfZero("c", 1000, 3);
        var d = Tensor("d", 1000, 4);
        var first = new ActivationStore(6200, _spill.FullName);
        first.Add(new StoredBatch(0, 1, [a, b, c, d]));
        Assert.Equal(4000 + 2000 + 8 * 16, first.HeldBytes);
        Assert.Equal(2000 + 8 * 16 + 4000, first.SpilledBytes); // c packed, d as it is
        var read = first.Get(0);
        foreach (var t in new[] { a, b, c, d })
            Assert.Equal(t.Data, read[t.Name].Data);
        Assert.NotNull(read["b"].Packed);
        Assert.True(read["c"].Spilled!.Packed);
        Assert.False(read["d"].Spilled!.Packed);

        // Carried on: b's packed array and c's region are shared, not packed or written again.
        var next = new ActivationStore(2200, _spill.FullName);
        next.Add(new StoredBatch(0, 1, [read["b"], read["c"]]));
        Assert.Equal(0, next.SpilledBytes);
        first.Dispose();
        var again = next.Get(0);
        Assert.Same(read["b"].Packed, again["b"].Packed);
        Assert.Equal(b.Data, again["b"].Data);
        Assert.Equal(c.Data, again["c"].Data);
        next.Dispose();
        Assert.Empty(_spill.EnumerateFiles());
    }

    public void Dispose() => _spill.Delete(recursive: true);
}
