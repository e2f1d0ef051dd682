using ILGPU;
using ILGPU.Runtime;

namespace FastPrune.Kernels.Ilgpu;

/// <summary>Gram accumulator whose float64 totals live on the accelerator, so subnets gather sub-blocks there.</summary>
internal sealed class IlgpuGramAccumulator : GramAccumulator
{
    // Rows per launch: bounds one launch's run time (the kernel itself folds into float64 every 128 rows).
    internal const int LaunchRows = 16384;
    private readonly IlgpuReconEngine _engine;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _g;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _h;
    private MemoryBuffer1D<float, Stride1D.Dense>? _x;
    private MemoryBuffer1D<float, Stride1D.Dense>? _y;

    internal IlgpuGramAccumulator(IlgpuReconEngine engine, int cols, int rhs, bool appendOnes)
        : base(cols, rhs, appendOnes)
    {
        _engine = engine;
        _g = engine.Accelerator.Allocate1D<double>((long)Size * Size);
        _h = engine.Accelerator.Allocate1D<double>((long)Size * rhs);
        _g.MemSetToZero();
        _h.MemSetToZero();
    }

    internal IlgpuReconEngine Engine => _engine;

    internal ArrayView<double> DeviceGram => _g.View;

    internal ArrayView<double> DeviceCross => _h.View;

    protected override void AddCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        var acc = _engine.Accelerator;
        if (_x is null || _x.Length < x.Length)
        {
            _x?.Dispose();
            _x = acc.Allocate1D<float>(x.Length);
        }
        if (_y is null || _y.Length < y.Length)
        {
            _y?.Dispose();
            _y = acc.Allocate1D<float>(y.Length);
        }
        ((ArrayView<float>)_x.View).SubView(0, x.Length).CopyFromCPU(x);
        ((ArrayView<float>)_y.View).SubView(0, y.Length).CopyFromCPU(y);
        int tiles = (Math.Max(Size, Rhs) + GramKernels.Tile - 1) / GramKernels.Tile;
        var config = new KernelConfig(new Index3D(tiles, (Size + GramKernels.Tile - 1) / GramKernels.Tile, 2),
            new Index3D(GramKernels.Threads, GramKernels.Threads, 1));
        for (int r0 = 0; r0 < rows; r0 += LaunchRows)
        {
            var args = new GramArgs { RowStart = r0, RowEnd = Math.Min(rows, r0 + LaunchRows), Cols = Cols, Rhs = Rhs, Size = Size, AppendOnes = AppendOnes ? 1 : 0 };
            _engine.Kernels.Gram(config, _x.View, _y.View, _g.View, _h.View, args);
        }
    }

    protected override void FlushCore(Span<double> gram, Span<double> cross)
    {
        _engine.Accelerator.Synchronize();
        ((ArrayView<double>)_g.View).CopyToCPU(gram);
        ((ArrayView<double>)_h.View).CopyToCPU(cross);
    }

    protected override void DisposeCore()
    {
        _g.Dispose();
        _h.Dispose();
        _x?.Dispose();
        _y?.Dispose();
    }
}
