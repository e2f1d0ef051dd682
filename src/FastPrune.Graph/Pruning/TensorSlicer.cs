using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Graph.Pruning;

/// <summary>Gathers indices along axes of an initializer, copying contiguous blocks of bytes (type-agnostic).</summary>
internal static class TensorSlicer
{
    /// <summary>A new tensor with the same name and type, holding only <paramref name="slices"/>' indices along each axis.</summary>
    public static TensorProto Slice(TensorProto t, IReadOnlyList<(int Axis, long[] Indices)> slices)
    {
        int elem = ElementType.SizeOf(t.DataType);
        if (elem == 0) throw new ModelFormatException($"cannot slice {ElementType.Name(t.DataType)} data", tensor: t.Name);
        var dims = t.Dims.ToArray();
        // One index list per axis (null: the whole axis); several runs on one axis were merged by the caller.
        var picks = new long[]?[dims.Length];
        foreach (var (axis, idx) in slices)
        {
            if (axis < 0 || axis >= dims.Length) throw new ModelFormatException($"slice axis {axis} out of range", tensor: t.Name);
            if (picks[axis] is not null) throw new ModelFormatException($"axis {axis} sliced twice", tensor: t.Name);
            foreach (var i in idx)
                if (i < 0 || i >= dims[axis]) throw new ModelFormatException($"slice index {i} outside axis of {dims[axis]}", tensor: t.Name);
            picks[axis] = idx;
        }
        var data = Gather(Bytes(t), dims, picks, elem);
        var r = new TensorProto { Name = t.Name, DataType = t.DataType, DocString = t.DocString };
        for (int a = 0; a < dims.Length; a++) r.Dims.Add(picks[a]?.Length ?? dims[a]);
        r.RawData = UnsafeByteOperations.UnsafeWrap(data);
        return r;
    }

    //   All sliced axes in one pass, so a conv weight pruned on both its output and input channels is
    //   written once at its final size (slicing axis by axis allocated a half-size intermediate).
    //   Axes after the last sliced one form one contiguous block of `block` bytes; an odometer over the
    //   axes up to the last sliced one walks the output in order:
    //     out[k0][k1]..[kL][block] = in[pick0[k0]][pick1[k1]]..[pickL[kL]][block]
    private static byte[] Gather(ReadOnlyMemory<byte> data, long[] dims, long[]?[] picks, int elem)
    {
        int last = Array.FindLastIndex(picks, p => p is not null);
        long block = elem;
        for (int d = last + 1; d < dims.Length; d++) block *= dims[d];
        var stride = new long[last + 1]; // bytes per step along each outer axis of the input
        long outCount = 1;
        for (int a = last; a >= 0; a--)
        {
            stride[a] = a == last ? block : stride[a + 1] * dims[a + 1];
            outCount = checked(outCount * (picks[a]?.Length ?? dims[a]));
        }
        var result = new byte[checked(outCount * block)];
        if (result.Length == 0) return result;
        var src = data.Span;
        var dst = result.AsSpan();
        int blk = checked((int)block);
        var k = new long[last + 1];
        for (long o = 0; o < outCount; o++)
        {
            long offset = 0;
            for (int a = 0; a <= last; a++) offset += (picks[a] is { } p ? p[k[a]] : k[a]) * stride[a];
            src.Slice(checked((int)offset), blk).CopyTo(dst.Slice((int)(o * block), blk));
            for (int a = last; a >= 0; a--) // advance the odometer
            {
                if (++k[a] < (picks[a]?.Length ?? dims[a])) break;
                k[a] = 0;
            }
        }
        return result;
    }

    // raw_data is read in place; typed fields are copied once
    private static ReadOnlyMemory<byte> Bytes(TensorProto t)
    {
        if (!t.RawData.IsEmpty) return t.RawData.Memory;
        return t.DataType switch
        {
            ElementType.Float => System.Runtime.InteropServices.MemoryMarshal.AsBytes(TensorData.Floats(t).Span).ToArray(),
            ElementType.Int64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Int64Data.ToArray().AsSpan()).ToArray(),
            ElementType.Int32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Int32Data.ToArray().AsSpan()).ToArray(),
            _ => throw new ModelFormatException($"cannot slice {ElementType.Name(t.DataType)} stored in typed fields", tensor: t.Name),
        };
    }
}
