namespace FastPrune.Graph.Building;

/// <summary>
/// One dimension of a declared tensor shape: a fixed size, a symbolic name such as <c>"batch"</c>,
/// or (the default value) unknown. Converts implicitly from <see cref="int"/>, <see cref="long"/>
/// and <see cref="string"/> so shapes read as <c>("batch", 3, 224, 224)</c>.
/// </summary>
public readonly struct DimSpec : IEquatable<DimSpec>
{
    private DimSpec(long? value, string? param)
    {
        Value = value;
        Param = param;
    }

    /// <summary>A dimension with neither a size nor a name (ONNX allows this).</summary>
    public static DimSpec Unknown => default;

    /// <summary>The fixed size, or <see langword="null"/> when symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or <see langword="null"/> when fixed or unknown.</summary>
    public string? Param { get; }

    /// <summary>A fixed dimension. Negative sizes are accepted so tests can write invalid graphs.</summary>
    public static implicit operator DimSpec(long value) => new(value, null);

    /// <summary>A fixed dimension.</summary>
    public static implicit operator DimSpec(int value) => new(value, null);

    /// <summary>A symbolic dimension.</summary>
    /// <exception cref="ArgumentException"><paramref name="param"/> is null or empty.</exception>
    public static implicit operator DimSpec(string param)
    {
        ArgumentException.ThrowIfNullOrEmpty(param);
        return new(null, param);
    }

    /// <inheritdoc/>
    public bool Equals(DimSpec other) => Value == other.Value && Param == other.Param;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DimSpec d && Equals(d);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, Param);

    /// <inheritdoc/>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";

    /// <summary>Equality of size and name.</summary>
    public static bool operator ==(DimSpec left, DimSpec right) => left.Equals(right);

    /// <summary>Inequality of size or name.</summary>
    public static bool operator !=(DimSpec left, DimSpec right) => !left.Equals(right);
}
