using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

/// <summary>
/// ONNX tensor element types the builder writes. Values equal <see cref="TensorProto.Types.DataType"/>
/// so a cast is the whole conversion.
/// </summary>
public enum ElemType
{
    /// <summary>No type; only useful for writing deliberately broken graphs.</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,
    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer (shapes, indices, axes).</summary>
    Int64 = 7,
    /// <summary>Boolean, one byte per element.</summary>
    Bool = 9,
    /// <summary>IEEE half precision.</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
}
