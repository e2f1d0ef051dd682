namespace FastPrune.Kernels;

/// <summary>
/// Accumulates G = XᵀX and H = XᵀY over batches of rows. Partial sums are float32 inside a bounded block of rows and
/// are folded into float64 totals, so error does not grow with the number of batches. Created by
/// <see cref="IReconEngine.CreateAccumulator"/>; compute a layer's Gram once, then <see cref="Gather"/> sub-blocks per subnet.
/// </summary>
/// <remarks>
/// The backend sees the rows in blocks of <see cref="BlockRows"/> counted from the first row added (the last block of
/// a flush may be shorter), whatever the sizes of the batches passed to <see cref="Add"/>: float32 sums depend on how
/// rows are grouped, and batch sizes come from the machine's memory, so without fixed blocks the same rows would give
/// different Grams on different machines.
/// </remarks>
public abstract class GramAccumulator : IDisposable, IGramSource
{
    /// <summary>Rows per block handed to the backend (the CPU kernel's row block, so full blocks cost no extra pass).</summary>
    public const int BlockRows = 128;

    private readonly double[] _gram;
    private readonly double[] _cross;
    private bool _flushed = true;
    private bool _finite = true;
    // Rows of a block not yet complete (the tail of the last batch), copied until the next batch completes it.
    private float[] _stageX = [], _stageY = [];
    private int _staged;

    /// <summary>Initialises the shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cols"/> or <paramref name="rhs"/> is below 1.</exception>
    protected GramAccumulator(int cols, int rhs, bool appendOnes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rhs, 1);
        Cols = cols;
        Rhs = rhs;
        AppendOnes = appendOnes;
        Size = cols + (appendOnes ? 1 : 0);
        _gram = new double[(long)Size * Size];
        _cross = new double[(long)Size * rhs];
    }

    /// <summary>Columns of X as passed to <see cref="Add"/>.</summary>
    public int Cols { get; }

    /// <summary>Columns of Y.</summary>
    public int Rhs { get; }

    /// <summary>Whether a constant-1 column is appended to X (at index <see cref="Cols"/>).</summary>
    public bool AppendOnes { get; }

    /// <summary>Order of G: <see cref="Cols"/> plus one with <see cref="AppendOnes"/>.</summary>
    public int Size { get; }

    /// <summary>Rows accumulated so far.</summary>
    public long Rows { get; private set; }

    /// <summary>G (Size×Size, row-major, both triangles) as of the last <see cref="Flush"/>.</summary>
    /// <exception cref="InvalidOperationException">Rows were added since the last flush.</exception>
    public ReadOnlySpan<double> GramMatrix => Flushed(_gram);

    /// <summary>H (Size×Rhs, row-major) as of the last <see cref="Flush"/>.</summary>
    /// <exception cref="InvalidOperationException">Rows were added since the last flush.</exception>
    public ReadOnlySpan<double> CrossMatrix => Flushed(_cross);

    ReadOnlySpan<double> IGramSource.Gram => GramMatrix;

    ReadOnlySpan<double> IGramSource.Cross => CrossMatrix;

    bool IGramSource.IsFinite => _finite;

    /// <summary>Adds <paramref name="rows"/> rows: <paramref name="x"/> is rows×Cols and <paramref name="y"/> rows×Rhs, row-major.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than rows times its width.</exception>
    /// <exception cref="ObjectDisposedException">The accumulator was disposed.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Complete"/> was called.</exception>
    public void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (x.Length < (long)rows * Cols)
            throw new ArgumentException($"x has {x.Length} elements, expected {(long)rows * Cols}.", nameof(x));
        if (y.Length < (long)rows * Rhs)
            throw new ArgumentException($"y has {y.Length} elements, expected {(long)rows * Rhs}.", nameof(y));
        if (Completed)
            throw new InvalidOperationException("Rows cannot be added after Complete().");
        if (rows == 0)
            return;
        int r = 0;
        if (_staged > 0)
            r = Stage(x, y, Math.Min(rows, BlockRows - _staged));
        // Full blocks straight from the caller's rows; only a tail shorter than a block is copied.
        for (; rows - r >= BlockRows; r += BlockRows)
            AddCore(x.Slice(r * Cols, BlockRows * Cols), y.Slice(r * Rhs, BlockRows * Rhs), BlockRows);
        if (r < rows)
            Stage(x[(r * Cols)..], y[(r * Rhs)..], rows - r);
        Rows += rows;
        _flushed = false;
    }

    private int Stage(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        if (_stageX.Length == 0)
            (_stageX, _stageY) = (new float[BlockRows * Cols], new float[BlockRows * Rhs]);
        x[..(rows * Cols)].CopyTo(_stageX.AsSpan(_staged * Cols));
        y[..(rows * Rhs)].CopyTo(_stageY.AsSpan(_staged * Rhs));
        _staged += rows;
        if (_staged == BlockRows)
            AddStaged();
        return rows;
    }

    private void AddStaged()
    {
        if (_staged > 0)
            AddCore(_stageX.AsSpan(0, _staged * Cols), _stageY.AsSpan(0, _staged * Rhs), _staged);
        _staged = 0;
    }

    /// <summary>Completes pending work and publishes G and H (float64) on the host.</summary>
    /// <exception cref="ObjectDisposedException">The accumulator was disposed.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_flushed)
            return;
        AddStaged();
        FlushCore(_gram, _cross);
        int n = Size;
        // Kernels fill the upper triangle only (the other half is the same numbers).
        for (int i = 1; i < n; i++)
            for (int j = 0; j < i; j++)
                _gram[(long)i * n + j] = _gram[(long)j * n + i];
        _finite = double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<double>(_gram) * 0 + 0)
            && double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<double>(_cross) * 0 + 0);
        _flushed = true;
    }

    /// <summary>
    /// Flushes, then releases what the backend keeps for further rows (float32 partials and their totals on the CPU:
    /// 12 of the 20 bytes per entry), leaving G and H readable. For Grams collected once and only gathered afterwards,
    /// such as a session's original features; <see cref="Add"/> is refused from then on.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The accumulator was disposed.</exception>
    public void Complete()
    {
        Flush();
        if (Completed) return;
        Completed = true;
        (_stageX, _stageY) = ([], []);
        ReleaseWorkspace();
    }

    /// <summary>True after <see cref="Complete"/>.</summary>
    public bool Completed { get; private set; }

    /// <summary>
    /// A problem over the sub-block G[keptIn, keptIn], H[keptIn, keptOut]. Flushes first. Indices are ascending and
    /// distinct; <paramref name="keptIn"/> may include the ones-column index <see cref="Cols"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An index list is empty, unsorted, repeated or out of range.</exception>
    /// <exception cref="ObjectDisposedException">The accumulator was disposed.</exception>
    public LstsqProblem Gather(ReadOnlySpan<int> keptIn, ReadOnlySpan<int> keptOut, string? label = null)
    {
        Flush();
        CheckIndices(keptIn, Size, nameof(keptIn));
        CheckIndices(keptOut, Rhs, nameof(keptOut));
        return new LstsqProblem(this, keptIn.ToArray(), keptOut.ToArray(), label ?? "");
    }

    /// <summary>Disposes device resources.</summary>
    public void Dispose()
    {
        if (Disposed)
            return;
        Disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>True after <see cref="Dispose"/>.</summary>
    protected bool Disposed { get; private set; }

    /// <summary>Accumulates a validated block of at most <see cref="BlockRows"/> rows (exact lengths).</summary>
    protected abstract void AddCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows);

    /// <summary>Writes the totals: the upper triangle of <paramref name="gram"/> (at least) and all of <paramref name="cross"/>.</summary>
    protected abstract void FlushCore(Span<double> gram, Span<double> cross);

    /// <summary>Releases the buffers only <see cref="AddCore"/> and <see cref="FlushCore"/> use (after the final flush).</summary>
    protected virtual void ReleaseWorkspace()
    {
    }

    /// <summary>Releases backend resources.</summary>
    protected virtual void DisposeCore()
    {
    }

    private ReadOnlySpan<double> Flushed(double[] matrix) =>
        _flushed ? matrix : throw new InvalidOperationException("Rows were added since the last Flush().");

    internal static void CheckIndices(ReadOnlySpan<int> indices, int bound, string name)
    {
        if (indices.IsEmpty)
            throw new ArgumentException("At least one index must be kept.", name);
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)bound)
                throw new ArgumentException($"Index {indices[i]} at position {i} is outside [0, {bound}).", name);
            if (i > 0 && indices[i] <= indices[i - 1])
                throw new ArgumentException($"Indices must be ascending and distinct (position {i}).", name);
        }
    }
}
