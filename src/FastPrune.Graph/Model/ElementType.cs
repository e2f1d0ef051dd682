using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>Facts about ONNX tensor element types (the values of <see cref="TensorProto.Types.DataType"/>).</summary>
public static class ElementType
{
    /// <summary>ONNX FLOAT.</summary>
    public const int Float = (int)TensorProto.Types.DataType.Float;
    /// <summary>ONNX FLOAT16.</summary>
    public const int Float16 = (int)TensorProto.Types.DataType.Float16;
    /// <summary>ONNX INT64.</summary>
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;
    /// <summary>ONNX INT32.</summary>
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;
    /// <summary>ONNX BOOL.</summary>
    public const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>Bytes per element, or 0 for types without a fixed size (strings, undefined).</summary>
    public static int SizeOf(int dataType) => (TensorProto.Types.DataType)dataType switch
    {
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Uint32 => 4,
        TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 or TensorProto.Types.DataType.Double
            or TensorProto.Types.DataType.Complex64 => 8,
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16 or TensorProto.Types.DataType.Int16
            or TensorProto.Types.DataType.Uint16 => 2,
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>True for the floating-point types whose elements count as parameters.</summary>
    public static bool IsFloating(int dataType) =>
        dataType is Float or Float16 or (int)TensorProto.Types.DataType.Double or (int)TensorProto.Types.DataType.Bfloat16;

    /// <summary>The ONNX name of a data type, for messages.</summary>
    public static string Name(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToUpperInvariant()
            : $"type {dataType}";
}
