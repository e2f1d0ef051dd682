using System.Runtime.ExceptionServices;

namespace FastPrune.Data;

/// <summary>
/// Reads the samples of an index list in batches of <see cref="BatchSize"/>, decoding the samples of a
/// batch in parallel (bounded degree) into a caller-provided NCHW buffer and checking every value is
/// finite. <see cref="ReadAll"/> keeps one batch decoding ahead, so at most two batches are held.
/// </summary>
internal sealed class BatchReader
{
    private readonly int[] _indices;
    private readonly int _parallelism;

    /// <summary>Creates a reader over <paramref name="indices"/> of <paramref name="source"/>.</summary>
    /// <param name="source">The samples.</param>
    /// <param name="indices">Source indices to read, in order (e.g. <see cref="DataSplit.Calibration"/>).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="maxDegreeOfParallelism">Threads decoding one batch; 0 means min(processor count, 8).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive batch size, a negative degree, or an index outside the source.</exception>
    public BatchReader(IDataSource source, IReadOnlyList<int> indices, int batchSize, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"index outside the {source.Count} samples of {source.Path}");
            }
        }
        Source = source;
        _indices = [.. indices];
        BatchSize = batchSize;
        _parallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Math.Clamp(Environment.ProcessorCount, 1, 8);
    }

    /// <summary>The source read from.</summary>
    public IDataSource Source { get; }

    /// <summary>Samples per batch (the last batch may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Samples to read in all.</summary>
    public int Count => _indices.Length;

    /// <summary>Number of batches, ⌈Count / BatchSize⌉.</summary>
    public int BatchCount => (Count + BatchSize - 1) / BatchSize;

    /// <summary>Floats in a full batch buffer, BatchSize·C·H·W.</summary>
    public int BufferLength => checked(BatchSize * Source.Shape.Length);

    /// <summary>Decodes batch <paramref name="batch"/> into <paramref name="images"/> (NCHW) and <paramref name="labels"/>.</summary>
    /// <param name="batch">Batch number in [0, <see cref="BatchCount"/>).</param>
    /// <param name="images">At least <see cref="BufferLength"/> floats; the first count·C·H·W are written.</param>
    /// <param name="labels">At least <see cref="BatchSize"/> ints when the source has labels, else ignored (may be null).</param>
    /// <returns>Samples in the batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A buffer is too small.</exception>
    /// <exception cref="DataException">A sample does not decode or holds NaN/Inf (the first such sample in batch order is reported, with its file and index).</exception>
    public int ReadBatch(int batch, float[] images, int[]? labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, BatchCount);
        ArgumentNullException.ThrowIfNull(images);
        int first = batch * BatchSize, n = Math.Min(BatchSize, Count - first), len = Source.Shape.Length;
        if (images.Length < n * len)
        {
            throw new ArgumentException($"image buffer holds {images.Length} floats, the batch needs {n * len}", nameof(images));
        }
        if (Source.HasLabels && (labels is null || labels.Length < n))
        {
            throw new ArgumentException($"the source has labels; the label buffer must hold {n}", nameof(labels));
        }
        // Failures are collected per slot and the lowest one rethrown, so the error does not depend on thread timing.
        var errors = new Exception?[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, k =>
        {
            try
            {
                int index = _indices[first + k];
                Span<float> dst = images.AsSpan(k * len, len);
                Source.ReadImage(index, dst);
                CheckFinite(index, dst);
            }
            catch (Exception e)
            {
                errors[k] = e;
            }
        });
        foreach (Exception? e in errors)
        {
            if (e is not null)
            {
                ExceptionDispatchInfo.Throw(e);
            }
        }
        if (Source.HasLabels)
        {
            for (int k = 0; k < n; k++)
            {
                labels![k] = Source.Label(_indices[first + k]);
            }
        }
        return n;
    }

    /// <summary>
    /// All batches in order, the next one decoding on the thread pool while the caller uses the current one.
    /// A yielded batch's buffers are reused once the enumeration moves on.
    /// </summary>
    /// <exception cref="DataException">As <see cref="ReadBatch"/>, raised when the failing batch is reached.</exception>
    public IEnumerable<Batch> ReadAll()
    {
        if (BatchCount == 0)
        {
            yield break;
        }
        float[][] images = [new float[BufferLength], new float[BufferLength]];
        int[][] labels = [new int[BatchSize], new int[BatchSize]];
        Task<int> pending = Task.Run(() => ReadBatch(0, images[0], labels[0]));
        try
        {
            for (int b = 0; b < BatchCount; b++)
            {
                int n = pending.GetAwaiter().GetResult();
                if (b + 1 < BatchCount)
                {
                    int next = b + 1;
                    pending = Task.Run(() => ReadBatch(next, images[next % 2], labels[next % 2]));
                }
                int first = b * BatchSize;
                yield return new Batch(
                    b, n,
                    images[b % 2].AsMemory(0, n * Source.Shape.Length),
                    Source.HasLabels ? labels[b % 2].AsMemory(0, n) : ReadOnlyMemory<int>.Empty,
                    _indices.AsMemory(first, n));
            }
        }
        finally
        {
            // An abandoned enumeration must not leave a decode writing into buffers after we return.
            if (!pending.IsCompleted)
            {
                try
                {
                    pending.Wait();
                }
                catch (AggregateException)
                {
                    // The caller stopped early; a failure in a batch it never asked for is not its error.
                }
            }
        }
    }

    private void CheckFinite(int index, ReadOnlySpan<float> sample)
    {
        for (int i = 0; i < sample.Length; i++)
        {
            if (!float.IsFinite(sample[i]))
            {
                throw new DataException(Source.NameOf(index), $"sample {index} holds {sample[i]} at element {i} (NaN/Inf are not allowed)");
            }
        }
    }
}
