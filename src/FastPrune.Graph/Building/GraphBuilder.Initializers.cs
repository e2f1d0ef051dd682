using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

public sealed partial class GraphBuilder
{
    /// <summary>Adds a float initializer (data copied) and returns its name.</summary>
    /// <exception cref="ArgumentException">The name is empty or taken, or the data does not fit the shape.</exception>
    public string Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> data) =>
        Initializer(Tensors.Float(name, dims, data));

    /// <summary>
    /// Adds a float initializer over <paramref name="rawLittleEndian"/> without copying it (the large
    /// zoo weights go this way). The caller must not modify the array afterwards.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rawLittleEndian"/> is null.</exception>
    /// <exception cref="ArgumentException">The name is empty or taken, or the byte count does not fit the shape.</exception>
    public string Initializer(string name, ReadOnlySpan<long> dims, byte[] rawLittleEndian) =>
        Initializer(Tensors.Raw(name, dims, ElemType.Float, rawLittleEndian));

    /// <summary>Adds an int64 initializer (data copied), e.g. a static Reshape shape.</summary>
    /// <exception cref="ArgumentException">The name is empty or taken, or the data does not fit the shape.</exception>
    public string Int64Initializer(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> data) =>
        Initializer(Tensors.Int64(name, dims, data));

    /// <summary>Adds a 1-D int64 initializer holding <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public string Int64Vector(string name, params ReadOnlySpan<long> values) =>
        Initializer(Tensors.Int64(name, [values.Length], values));

    /// <summary>Adds a ready-made tensor as an initializer and returns its name.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor's name is empty or taken.</exception>
    public string Initializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Define(tensor.Name, nameof(tensor));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }
}
