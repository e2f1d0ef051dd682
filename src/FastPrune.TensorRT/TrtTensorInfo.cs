using System.Collections.Immutable;

namespace FastPrune.TensorRT;

/// <summary>One input or output tensor of a built engine, with its concrete shape at the built batch.</summary>
public sealed class TrtTensorInfo
{
    /// <summary>Creates the description.</summary>
    /// <param name="name">Tensor name as in the ONNX graph.</param>
    /// <param name="isInput">True for a network input, false for an output.</param>
    /// <param name="shape">Concrete dimensions, batch first.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public TrtTensorInfo(string name, bool isInput, ImmutableArray<long> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        IsInput = isInput;
        Shape = shape.IsDefault ? [] : shape;
    }

    /// <summary>Tensor name as in the ONNX graph.</summary>
    public string Name { get; }

    /// <summary>True for a network input, false for an output.</summary>
    public bool IsInput { get; }

    /// <summary>Concrete dimensions at the built batch, batch first.</summary>
    public ImmutableArray<long> Shape { get; }

    /// <summary>Product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Shape)
            {
                count *= d;
            }
            return count;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(IsInput ? "input" : "output")} {Name} [{string.Join(", ", Shape)}]";
}
