namespace FastPrune.Data;

/// <summary>
/// What every <see cref="IDataSource"/> shares: the path, shape, count and labels, the argument checks of
/// <see cref="Label"/> and <see cref="ReadImage"/>, and the dispose pattern. A source fills
/// <see cref="Count"/>, <see cref="Labels"/> and <see cref="ClassCount"/> in its constructor and decodes in
/// <see cref="ReadImageCore"/>, which only ever sees a valid index and a buffer of the right length.
/// </summary>
internal abstract class DataSourceBase : IDataSource
{
    /// <summary>Validates <paramref name="shape"/> and records the path and shape.</summary>
    /// <param name="path">The path the source is opened from, for messages.</param>
    /// <param name="shape">The model input; every dimension positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a non-positive dimension.</exception>
    protected DataSourceBase(string path, SampleShape shape)
    {
        shape.Validate(nameof(shape));
        Path = path;
        Shape = shape;
    }

    /// <inheritdoc/>
    public string Path { get; }

    /// <inheritdoc/>
    public int Count { get; protected init; }

    /// <inheritdoc/>
    public SampleShape Shape { get; }

    /// <inheritdoc/>
    public bool HasLabels => Labels is not null;

    /// <inheritdoc/>
    public int ClassCount { get; protected init; }

    /// <summary>One label per sample; null when the source has no labels.</summary>
    protected int[]? Labels { get; init; }

    /// <inheritdoc/>
    public int Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Labels is null ? throw new InvalidOperationException($"{Path} has no labels") : Labels[index];
    }

    /// <inheritdoc/>
    public void ReadImage(int index, Span<float> chw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (chw.Length != Shape.Length)
        {
            throw new ArgumentException($"destination holds {chw.Length} floats, a sample has {Shape.Length}", nameof(chw));
        }
        ReadImageCore(index, chw);
    }

    /// <summary>Names sample <paramref name="index"/> as <c>path[index]</c>; sources of one file per sample name the file.</summary>
    /// <param name="index">Sample index in [0, <see cref="Count"/>).</param>
    public virtual string NameOf(int index) => $"{Path}[{index}]";

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Decodes and preprocesses sample <paramref name="index"/>; the arguments are already checked.</summary>
    /// <param name="index">Sample index in [0, <see cref="Count"/>).</param>
    /// <param name="chw">Destination of exactly <see cref="SampleShape.Length"/> floats, CHW order.</param>
    /// <exception cref="DataException">The sample cannot be decoded (the message names the file).</exception>
    protected abstract void ReadImageCore(int index, Span<float> chw);

    /// <summary>Releases the files the source holds open; nothing by default.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>; false from a finalizer (none of the sources has one).</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
