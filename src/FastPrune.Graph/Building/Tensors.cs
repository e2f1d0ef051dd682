using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Graph.Building;

/// <summary>
/// Factories for <see cref="TensorProto"/> values with little-endian <c>raw_data</c>, the layout
/// exporters write and loaders read fastest.
/// </summary>
public static class Tensors
{
    /// <summary>A float tensor; the data is copied.</summary>
    /// <param name="name">Tensor name (may be empty for Constant attributes).</param>
    /// <param name="dims">Shape; an empty span makes a scalar.</param>
    /// <param name="data">Row-major values; length must equal the product of <paramref name="dims"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The data length does not match the shape, or a dim is negative.</exception>
    public static TensorProto Float(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data)
    {
        CheckCount(dims, data.Length);
        return Raw(name, dims, ElemType.Float, MemoryMarshal.AsBytes(data).ToArray());
    }

    /// <summary>An int64 tensor (shapes, axes, indices); the data is copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException">The data length does not match the shape, or a dim is negative.</exception>
    public static TensorProto Int64(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> data)
    {
        CheckCount(dims, data.Length);
        return Raw(name, dims, ElemType.Int64, MemoryMarshal.AsBytes(data).ToArray());
    }

    /// <summary>
    /// A tensor over caller-owned little-endian bytes, wrapped without a copy. The caller must not
    /// modify <paramref name="rawData"/> afterwards: the protobuf message aliases it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="rawData"/> is null.</exception>
    /// <exception cref="ArgumentException">The byte count does not match shape and element size, or a dim is negative.</exception>
    public static TensorProto Raw(string name, ReadOnlySpan<long> dims, ElemType type, byte[] rawData)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rawData);
        int size = ElementSize(type);
        long count = CheckCount(dims, rawData.Length / Math.Max(size, 1));
        if (count * size != rawData.Length)
        {
            throw new ArgumentException($"Tensor '{name}': {rawData.Length} bytes do not hold {count} elements of {type}.", nameof(rawData));
        }

        var t = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(rawData) };
        foreach (long d in dims)
        {
            t.Dims.Add(d);
        }

        return t;
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> has no fixed size.</exception>
    public static int ElementSize(ElemType type) => type switch
    {
        ElemType.Float or ElemType.Int32 => 4,
        ElemType.Int64 or ElemType.Double => 8,
        ElemType.UInt8 or ElemType.Int8 or ElemType.Bool => 1,
        ElemType.Float16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Element type has no fixed size."),
    };

    private static long CheckCount(ReadOnlySpan<long> dims, long actual)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dim {d} is negative.", nameof(dims));
            }

            count = checked(count * d);
        }

        if (count != actual)
        {
            throw new ArgumentException($"Shape holds {count} elements but {actual} were given.", nameof(dims));
        }

        return count;
    }
}
