using System.Text;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

/// <summary>
/// Factories for node attributes, so a node reads as
/// <c>b.Node("Conv", [x, w], [Attrs.Ints("strides", 2, 2), Attrs.Int("group", 1)])</c>.
/// </summary>
public static class Attrs
{
    /// <summary>An INT attribute.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = Check(name), Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An INTS attribute.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static AttributeProto Ints(string name, params ReadOnlySpan<long> values)
    {
        var a = new AttributeProto { Name = Check(name), Type = AttributeProto.Types.AttributeType.Ints };
        foreach (long v in values)
        {
            a.Ints.Add(v);
        }

        return a;
    }

    /// <summary>A FLOAT attribute.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = Check(name), Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A FLOATS attribute.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static AttributeProto Floats(string name, params ReadOnlySpan<float> values)
    {
        var a = new AttributeProto { Name = Check(name), Type = AttributeProto.Types.AttributeType.Floats };
        foreach (float v in values)
        {
            a.Floats.Add(v);
        }

        return a;
    }

    /// <summary>A STRING attribute, stored as UTF-8 bytes as ONNX requires.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static AttributeProto String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new()
        {
            Name = Check(name),
            Type = AttributeProto.Types.AttributeType.String,
            S = Google.Protobuf.ByteString.CopyFrom(Encoding.UTF8.GetBytes(value)),
        };
    }

    /// <summary>A TENSOR attribute (as used by <c>Constant</c> and <c>ConstantOfShape</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static AttributeProto Tensor(string name, TensorProto value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new() { Name = Check(name), Type = AttributeProto.Types.AttributeType.Tensor, T = value };
    }

    private static string Check(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }
}
