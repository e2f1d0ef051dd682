using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>Reads node attributes with defaults.</summary>
public static class Attr
{
    /// <summary>The attribute named <paramref name="name"/>, or null.</summary>
    public static AttributeProto? Find(NodeProto node, string name)
    {
        foreach (var a in node.Attribute)
            if (a.Name == name) return a;
        return null;
    }

    /// <summary>An INT attribute.</summary>
    public static long Int(NodeProto node, string name, long fallback) => Find(node, name) is { } a ? a.I : fallback;

    /// <summary>A FLOAT attribute.</summary>
    public static float Float(NodeProto node, string name, float fallback) => Find(node, name) is { } a ? a.F : fallback;

    /// <summary>A STRING attribute.</summary>
    public static string String(NodeProto node, string name, string fallback) =>
        Find(node, name) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>An INTS attribute, or null when absent.</summary>
    public static long[]? Ints(NodeProto node, string name) => Find(node, name) is { } a ? a.Ints.ToArray() : null;
}
