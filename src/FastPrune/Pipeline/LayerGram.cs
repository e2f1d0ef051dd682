using FastPrune.Kernels;

namespace FastPrune.Pipeline;

/// <summary>
/// What one layer accumulates while the pruned network is re-solved (corrective and exact modes): one Gram for a dense
/// layer; for a grouped conv one per kept group. A group's outputs read only its own input channels, so the weight is
/// block-diagonal and each block is an independent least-squares problem over its group's columns, the same Gram
/// machinery at a group's size (a dense Gram over all groups would be groups² times larger, mostly blocks never read).
/// </summary>
internal sealed class LayerGram : IDisposable
{
    //   X row (sampled over all kept input channels, channel-major):  | group 0: cin_g·kh·kw | group 1 | … |
    //   Y row (kept outputs, ascending = group by group):              | group 0: cout_g      | group 1 | … |
    //   block b is (X columns of group b) → (Y columns of group b), solved into rows b·cout_g.. of the pruned weight.
    private readonly GramAccumulator[] _blocks;
    private readonly int _blockCols, _blockOuts;
    private float[] _x = [], _y = [];

    private LayerGram(LayerPlan plan, int cin, int[] keptOut, GramAccumulator[] blocks, int blockCols, int blockOuts)
    {
        Plan = plan;
        Cin = cin;
        KeptOut = keptOut;
        _blocks = blocks;
        _blockCols = blockCols;
        _blockOuts = blockOuts;
    }

    /// <summary>The layer.</summary>
    public LayerPlan Plan { get; }

    /// <summary>Input channels of the pruned layer (all kept groups).</summary>
    public int Cin { get; }

    /// <summary>Original indices of the kept outputs.</summary>
    public int[] KeptOut { get; }

    /// <summary>Opens the Gram(s) of <paramref name="plan"/> pruned to <paramref name="cin"/> inputs and <paramref name="keptOut"/> outputs.</summary>
    public static LayerGram Open(IReconEngine engine, LayerPlan plan, int cin, int[] keptOut)
    {
        int blocks = plan.Groups == 1 ? 1 : keptOut.Length / plan.OutPerGroup;
        // surgery keeps or removes whole groups; anything else is a bug, never a silently wrong solve
        if (blocks < 1 || keptOut.Length % blocks != 0 || cin % blocks != 0 || (plan.Groups > 1 && keptOut.Length % plan.OutPerGroup != 0))
            throw new InvalidOperationException($"layer {plan.Layer.Name}: {keptOut.Length} kept outputs and {cin} inputs do not form whole groups of {plan.Groups}");
        int blockCols = cin / blocks * plan.Area, blockOuts = keptOut.Length / blocks;
        var accs = new GramAccumulator[blocks];
        try
        {
            for (int b = 0; b < blocks; b++) accs[b] = engine.CreateAccumulator(blockCols, blockOuts, plan.HasBias);
        }
        catch
        {
            foreach (var a in accs) a?.Dispose();
            throw;
        }
        return new LayerGram(plan, cin, keptOut, accs, blockCols, blockOuts);
    }

    /// <summary>Adds <paramref name="rows"/> rows: <paramref name="x"/> rows × Cin·area, <paramref name="y"/> rows × kept outputs.</summary>
    public void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows)
    {
        if (_blocks.Length == 1)
        {
            _blocks[0].Add(x, y, rows);
            return;
        }
        int cols = _blocks.Length * _blockCols, outs = _blocks.Length * _blockOuts;
        if (_x.Length < rows * _blockCols) _x = new float[rows * _blockCols];
        if (_y.Length < rows * _blockOuts) _y = new float[rows * _blockOuts];
        for (int b = 0; b < _blocks.Length; b++)
        {
            for (int r = 0; r < rows; r++)
            {
                x.Slice(r * cols + b * _blockCols, _blockCols).CopyTo(_x.AsSpan(r * _blockCols));
                y.Slice(r * outs + b * _blockOuts, _blockOuts).CopyTo(_y.AsSpan(r * _blockOuts));
            }
            _blocks[b].Add(_x.AsSpan(0, rows * _blockCols), _y.AsSpan(0, rows * _blockOuts), rows);
        }
    }

    /// <summary>One problem per block over all its columns and outputs, with who owns its solution.</summary>
    public IEnumerable<(LstsqProblem Problem, LayerSolve Owner)> Problems()
    {
        for (int b = 0; b < _blocks.Length; b++)
        {
            var acc = _blocks[b];
            var label = _blocks.Length == 1 ? Plan.Layer.Name : $"{Plan.Layer.Name} group {b}";
            yield return (acc.Gather(Enumerable.Range(0, acc.Size).ToArray(), Enumerable.Range(0, acc.Rhs).ToArray(), label),
                new LayerSolve(Plan, _blockCols / Plan.Area, _blockOuts, _blocks.Length == 1 ? -1 : b));
        }
    }

    public void Dispose()
    {
        foreach (var a in _blocks) a.Dispose();
    }
}

/// <summary>Where a least-squares solution goes: the layer, its input channels and outputs in the problem, and for a
/// grouped conv the kept group (block of output rows) it fills (-1: the whole weight).</summary>
internal readonly record struct LayerSolve(LayerPlan Plan, int Cin, int Cout, int Group = -1);
