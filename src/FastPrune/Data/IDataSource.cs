namespace FastPrune.Data;

/// <summary>
/// A random-access set of samples, each decoded on demand into a caller-provided CHW buffer, so that no
/// more than the batches being read are ever held in memory as floats. Implementations are safe for
/// concurrent <see cref="ReadImage"/> calls (the <see cref="BatchReader"/> decodes in parallel).
/// </summary>
internal interface IDataSource : IDisposable
{
    /// <summary>The path the source was opened from, for messages.</summary>
    string Path { get; }

    /// <summary>Number of samples; always at least one.</summary>
    int Count { get; }

    /// <summary>Shape of one sample after preprocessing; equals the model input it was opened for.</summary>
    SampleShape Shape { get; }

    /// <summary>Whether the source carries labels. Without labels the caller measures top-1 agreement with the unpruned model.</summary>
    bool HasLabels { get; }

    /// <summary>One past the largest label (the class-folder count for class folders); 0 without labels.</summary>
    int ClassCount { get; }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    /// <param name="index">Sample index in [0, <see cref="Count"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The source has no labels.</exception>
    int Label(int index);

    /// <summary>Decodes and preprocesses sample <paramref name="index"/> into <paramref name="chw"/>.</summary>
    /// <param name="index">Sample index in [0, <see cref="Count"/>).</param>
    /// <param name="chw">Destination of exactly <see cref="SampleShape.Length"/> floats, CHW order.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="chw"/> has the wrong length.</exception>
    /// <exception cref="DataException">The sample cannot be decoded (the message names the file).</exception>
    void ReadImage(int index, Span<float> chw);

    /// <summary>A human-readable name of sample <paramref name="index"/> (a file, or file[index]) for messages.</summary>
    /// <param name="index">Sample index in [0, <see cref="Count"/>).</param>
    string NameOf(int index);
}
