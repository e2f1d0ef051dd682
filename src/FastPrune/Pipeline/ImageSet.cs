using FastPrune.Data;

namespace FastPrune.Pipeline;

/// <summary>
/// The images of one split (calibration or evaluation), read in batches. A split that fits the
/// memory budget is decoded once and kept, since the search reads it for every subnet; a larger
/// one is streamed from its source each time, never held whole.
/// </summary>
internal sealed class ImageSet
{
    private readonly IDataSource _source;
    private readonly int[] _indices;
    private readonly float[]? _images;
    private readonly int[] _labels;

    /// <summary>Reads (or prepares to stream) <paramref name="indices"/> of <paramref name="source"/>.</summary>
    public ImageSet(IDataSource source, int[] indices, long memoryBudgetBytes, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        _source = source;
        _indices = indices;
        SampleLength = source.Shape.Length;
        _labels = source.HasLabels ? indices.Select(source.Label).ToArray() : new int[indices.Length];
        if ((long)indices.Length * SampleLength * sizeof(float) <= memoryBudgetBytes)
        {
            _images = new float[(long)indices.Length * SampleLength];
            var reader = new BatchReader(source, indices, 64);
            foreach (var b in reader.ReadAll())
            {
                cancel.ThrowIfCancellationRequested();
                b.Images.Span[..(b.Count * SampleLength)].CopyTo(_images.AsSpan(b.Index * reader.BatchSize * SampleLength));
            }
        }
    }

    /// <summary>Number of images.</summary>
    public int Count => _indices.Length;

    /// <summary>Floats per image (C·H·W).</summary>
    public int SampleLength { get; }

    /// <summary>Shape of one image.</summary>
    public SampleShape Shape => _source.Shape;

    /// <summary>True when the source has labels.</summary>
    public bool HasLabels => _source.HasLabels;

    /// <summary>Label of image <paramref name="i"/> of the set (0 without labels).</summary>
    public int Label(int i) => _labels[i];

    /// <summary>True when the images are held in memory.</summary>
    public bool Cached => _images is not null;

    /// <summary>
    /// Batches of <paramref name="batchSize"/> images over the first <paramref name="limit"/> (first image index, count,
    /// NCHW floats). A last batch of one image joins the batch before it: ONNX Runtime's CPU kernels share one image's
    /// work among threads differently from a batch's (its results differ in the last bits), and the batch size comes
    /// from the machine's memory, so a lone image would make results depend on the machine.
    /// </summary>
    public IEnumerable<(int Start, int Count, ReadOnlyMemory<float> Images)> Batches(int batchSize, int limit = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int total = Math.Clamp(limit, 0, Count);
        // Where the last batch starts: one image more than a batch when it would otherwise hold one image alone.
        int last = batchSize > 1 && total > 1 && total % batchSize == 1 ? total - batchSize - 1 : total;
        if (_images is not null)
        {
            for (int start = 0; start < total;)
            {
                int n = start == last ? total - start : Math.Min(batchSize, total - start);
                yield return (start, n, _images.AsMemory(start * SampleLength, n * SampleLength));
                start += n;
            }
            yield break;
        }
        var head = new BatchReader(_source, _indices[..last], batchSize);
        if (last > 0)
            foreach (var b in head.ReadAll())
                yield return (b.Index * batchSize, b.Count, b.Images[..(b.Count * SampleLength)]);
        if (last < total)
            foreach (var b in new BatchReader(_source, _indices[last..total], total - last).ReadAll())
                yield return (last, b.Count, b.Images[..(b.Count * SampleLength)]);
    }
}
