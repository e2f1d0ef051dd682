using FastPrune.Kernels;

namespace FastPrune.Pipeline;

/// <summary>
/// What collection on the original network gathered for one <see cref="LayerPlan"/>: the rows drawn from each
/// calibration image, the Gram of the original features (none for a grouped conv, see <see cref="LayerPlan.Groups"/>)
/// and, when the layer outputs are kept, the original outputs at those rows (the targets of corrective and exact
/// reconstruction). Filled once by <see cref="OriginalFeatures.Collect"/>, read-only afterwards; owned and disposed by
/// its <see cref="OriginalFeatures"/>.
/// </summary>
internal sealed class LayerFeatures : IDisposable
{
    private readonly int[] _rows;
    private readonly float[]? _outputs;
    private readonly GramAccumulator? _gram;

    internal LayerFeatures(LayerPlan plan, int images, GramAccumulator? gram, bool keepOutputs)
    {
        Plan = plan;
        _gram = gram;
        _rows = new int[checked(images * plan.RowsPerImage)];
        _outputs = keepOutputs ? new float[(long)images * plan.RowsPerImage * plan.OutChannels] : null;
    }

    /// <summary>The layer's plan.</summary>
    public LayerPlan Plan { get; }

    /// <summary>The original network's Gram (complete once collection is over); null for a grouped conv.</summary>
    public GramAccumulator? Gram => _gram;

    /// <summary>True when the original outputs were kept.</summary>
    public bool HasOutputs => _outputs is not null;

    /// <summary>The rows drawn from images [<paramref name="start"/>, <paramref name="start"/> + <paramref name="n"/>).</summary>
    public ReadOnlySpan<int> Rows(int start, int n) => _rows.AsSpan(start * Plan.RowsPerImage, n * Plan.RowsPerImage);

    /// <summary>The original outputs (all channels) of <paramref name="rows"/> rows, from image <paramref name="start"/>'s first.</summary>
    /// <exception cref="InvalidOperationException">The outputs were not kept.</exception>
    public ReadOnlySpan<float> Outputs(int start, int rows) => _outputs is null
        ? throw new InvalidOperationException($"layer {Plan.Layer.Name}: the original outputs were not kept")
        : _outputs.AsSpan(start * Plan.RowsPerImage * Plan.OutChannels, rows * Plan.OutChannels);

    /// <summary>Collection only: the rows of images [start, start+n) to draw into.</summary>
    internal Span<int> RowsToDraw(int start, int n) => _rows.AsSpan(start * Plan.RowsPerImage, n * Plan.RowsPerImage);

    /// <summary>Collection only: adds one batch of original X and Y rows from image <paramref name="start"/> on.</summary>
    internal void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int start)
    {
        _gram?.Add(x, y, rows);
        if (_outputs is not null) y[..(rows * Plan.OutChannels)].CopyTo(_outputs.AsSpan(start * Plan.RowsPerImage * Plan.OutChannels));
    }

    /// <summary>Collection only: ends accumulation (the Gram drops its accumulation buffers).</summary>
    internal void Complete() => _gram?.Complete();

    /// <summary>Releases the Gram.</summary>
    public void Dispose() => _gram?.Dispose();
}
