using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Graph;

/// <summary>
/// Typed, copy-free views over initializer data. Tensors that keep their data in <c>raw_data</c>
/// (what every modern exporter writes) are viewed in place; the typed repeated fields are copied
/// once into an array, since protobuf's repeated fields expose no span.
/// </summary>
public static class TensorData
{
    /// <summary>The largest element count FastPrune accepts for one tensor (a protobuf message is at most 2 GiB).</summary>
    public const long MaxElements = int.MaxValue;

    /// <summary>Element count of a shape, checked for negative dims and overflow before anything is allocated.</summary>
    /// <exception cref="ModelFormatException">A dim is negative or the product overflows.</exception>
    public static long ElementCount(IReadOnlyList<long> dims, string? tensor = null)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d < 0)
                throw new ModelFormatException($"negative dim {d}", tensor: tensor);
            if (d != 0 && n > MaxElements / d)
                throw new ModelFormatException($"dims [{string.Join(",", dims)}] overflow the element limit {MaxElements}", tensor: tensor);
            n *= d;
        }
        return n;
    }

    /// <summary>Checks that the tensor's stored data matches its dims and type.</summary>
    /// <exception cref="ModelFormatException">The data size does not match the dims, or the type has no fixed size.</exception>
    public static void Validate(TensorProto t)
    {
        long count = ElementCount(t.Dims, t.Name);
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            return; // checked when the external bytes are read
        int size = ElementType.SizeOf(t.DataType);
        if (t.DataType == (int)TensorProto.Types.DataType.String)
        {
            if (t.StringData.Count != count)
                throw new ModelFormatException($"holds {t.StringData.Count} strings for {count} elements", tensor: t.Name);
            return;
        }
        if (size == 0)
            throw new ModelFormatException($"unsupported element type {ElementType.Name(t.DataType)}", tensor: t.Name);
        long stored = StoredElements(t, size);
        if (stored != count)
            throw new ModelFormatException(
                $"holds {stored} elements of {ElementType.Name(t.DataType)} but its dims [{string.Join(",", t.Dims)}] need {count}", tensor: t.Name);
    }

    private static long StoredElements(TensorProto t, int size)
    {
        if (!t.RawData.IsEmpty)
            return t.RawData.Length % size == 0 ? t.RawData.Length / size : -1;
        return (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Float => t.FloatData.Count,
            TensorProto.Types.DataType.Double => t.DoubleData.Count,
            TensorProto.Types.DataType.Int64 => t.Int64Data.Count,
            TensorProto.Types.DataType.Uint64 or TensorProto.Types.DataType.Uint32 => t.Uint64Data.Count,
            TensorProto.Types.DataType.Complex64 => t.FloatData.Count / 2,
            TensorProto.Types.DataType.Complex128 => t.DoubleData.Count / 2,
            // int32_data carries every type of 32 bits or fewer, one element per entry
            _ => t.Int32Data.Count,
        };
    }

    /// <summary>The float32 elements of a FLOAT tensor, in place where the tensor uses <c>raw_data</c>.</summary>
    /// <exception cref="ModelFormatException">The tensor is not FLOAT.</exception>
    public static ReadOnlyMemory<float> Floats(TensorProto t)
    {
        if (t.DataType != ElementType.Float)
            throw new ModelFormatException($"expected FLOAT data, found {ElementType.Name(t.DataType)}", tensor: t.Name);
        if (!t.RawData.IsEmpty)
            return ByteMemory.Cast<float>(t.RawData.Memory);
        var a = new float[t.FloatData.Count];
        t.FloatData.CopyTo(a, 0);
        return a;
    }

    /// <summary>The elements of an integer tensor (INT64, INT32, INT8/16, UINT8/16, BOOL) widened to long.</summary>
    /// <exception cref="ModelFormatException">The tensor is not of an integer type.</exception>
    public static long[] Integers(TensorProto t)
    {
        var type = (TensorProto.Types.DataType)t.DataType;
        if (!t.RawData.IsEmpty)
        {
            var raw = t.RawData.Span;
            return type switch
            {
                TensorProto.Types.DataType.Int64 => MemoryMarshal.Cast<byte, long>(raw).ToArray(),
                TensorProto.Types.DataType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(raw).ToArray(), v => (long)v),
                TensorProto.Types.DataType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(raw).ToArray(), v => (long)v),
                TensorProto.Types.DataType.Uint16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(raw).ToArray(), v => (long)v),
                TensorProto.Types.DataType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(raw).ToArray(), v => (long)v),
                TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => Array.ConvertAll(raw.ToArray(), v => (long)v),
                _ => throw new ModelFormatException($"expected integer data, found {ElementType.Name(t.DataType)}", tensor: t.Name),
            };
        }
        return type switch
        {
            TensorProto.Types.DataType.Int64 => t.Int64Data.ToArray(),
            TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16
                or TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool
                => t.Int32Data.Select(v => (long)v).ToArray(),
            _ => throw new ModelFormatException($"expected integer data, found {ElementType.Name(t.DataType)}", tensor: t.Name),
        };
    }

    /// <summary>A new FLOAT tensor over <paramref name="data"/> without copying it.</summary>
    public static TensorProto FromFloats(string name, ReadOnlySpan<long> dims, float[] data)
    {
        var t = new TensorProto { Name = name, DataType = ElementType.Float };
        foreach (var d in dims) t.Dims.Add(d);
        t.RawData = UnsafeByteOperations.UnsafeWrap(MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        return t;
    }

    /// <summary>A new INT64 tensor.</summary>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> data)
    {
        var t = new TensorProto { Name = name, DataType = ElementType.Int64 };
        foreach (var d in dims) t.Dims.Add(d);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data));
        return t;
    }
}
