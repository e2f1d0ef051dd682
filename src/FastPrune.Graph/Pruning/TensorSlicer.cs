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
        ReadOnlyMemory<byte> data = Bytes(t);
        foreach (var (axis, idx) in slices)
        {
            if (axis < 0 || axis >= dims.Length) throw new ModelFormatException($"slice axis {axis} out of range", tensor: t.Name);
            data = Gather(data, dims, axis, idx, elem, t.Name);
            dims[axis] = idx.Length;
        }
        var r = new TensorProto { Name = t.Name, DataType = t.DataType, DocString = t.DocString };
        r.Dims.AddRange(dims);
        r.RawData = UnsafeByteOperations.UnsafeWrap(data);
        return r;
    }

    //   data viewed as [outer][axisLen][inner·elem bytes]; the result keeps, for every outer row,
    //   the inner blocks at the kept axis positions:
    //     out[o][k] = in[o][idx[k]]
    private static byte[] Gather(ReadOnlyMemory<byte> data, long[] dims, int axis, long[] idx, int elem, string name)
    {
        long inner = elem;
        for (int d = axis + 1; d < dims.Length; d++) inner *= dims[d];
        long axisLen = dims[axis];
        long outer = axisLen == 0 || inner == 0 ? 0 : data.Length / (axisLen * inner);
        var result = new byte[checked(outer * idx.Length * inner)];
        var src = data.Span;
        var dst = result.AsSpan();
        int blk = checked((int)inner);
        for (long o = 0; o < outer; o++)
        {
            for (int k = 0; k < idx.Length; k++)
            {
                long i = idx[k];
                if (i < 0 || i >= axisLen) throw new ModelFormatException($"slice index {i} outside axis of {axisLen}", tensor: name);
                src.Slice((int)((o * axisLen + i) * inner), blk).CopyTo(dst.Slice((int)((o * idx.Length + k) * inner), blk));
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
