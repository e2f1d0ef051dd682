namespace FastPrune.Graph;

/// <summary>
/// What shape inference knows of a tensor: its element type, its shape (null when the rank is
/// unknown) and, for small integer tensors such as the shapes that Reshape consumes, its values.
/// </summary>
public sealed record TensorInfo(int ElemType, Dim[]? Shape, Dim[]? Values = null)
{
    /// <summary>Most elements a tensor may have for its values to be tracked.</summary>
    public const int MaxTrackedValues = 64;

    /// <summary>Why the shape is not known, when an op without a shape rule upstream is the cause; else null.</summary>
    public string? UnknownReason { get; init; }

    /// <summary>The rank, or -1 when unknown.</summary>
    public int Rank => Shape?.Length ?? -1;

    /// <summary>True when every dim is a known number.</summary>
    public bool IsStatic => Shape is not null && Shape.All(d => d.IsKnown);

    /// <summary>The dims as numbers; throws when one is not known.</summary>
    /// <exception cref="InvalidOperationException">A dim is symbolic or unknown.</exception>
    public long[] StaticShape() =>
        IsStatic ? Shape!.Select(d => d.Value).ToArray() : throw new InvalidOperationException($"shape [{ShapeText}] is not static");

    /// <summary>The shape as text, e.g. <c>batch,3,224,224</c>.</summary>
    public string ShapeText => Shape is null ? "?" : string.Join(",", Shape.Select(d => d.ToString()));
}
