namespace FastPrune.Kernels;

/// <summary>The solution of one <see cref="LstsqProblem"/>.</summary>
public sealed class LstsqResult
{
    internal LstsqResult(string label, int size, int rhs, float[] weights, double lambda, double alpha, int escalations, int[] deadColumns)
    {
        Label = label;
        Size = size;
        Rhs = rhs;
        Weights = weights;
        Lambda = lambda;
        Alpha = alpha;
        Escalations = escalations;
        DeadColumns = deadColumns;
    }

    /// <summary>The problem's label.</summary>
    public string Label { get; }

    /// <summary>Rows of <see cref="Weights"/>: the number of kept input columns.</summary>
    public int Size { get; }

    /// <summary>Columns of <see cref="Weights"/>: the number of kept outputs.</summary>
    public int Rhs { get; }

    /// <summary>W, row-major <see cref="Size"/>×<see cref="Rhs"/> (keptIn × keptOut): the transposed layer weight.</summary>
    public float[] Weights { get; }

    /// <summary>The ridge λ actually added to the diagonal.</summary>
    public double Lambda { get; }

    /// <summary>The α that produced <see cref="Lambda"/> (the option's α times 10 per escalation).</summary>
    public double Alpha { get; }

    /// <summary>How many times α was escalated before the factorisation succeeded.</summary>
    public int Escalations { get; }

    /// <summary>Positions (0-based within the problem's kept inputs) whose Gram diagonal was zero; their weight rows are zero.</summary>
    public int[] DeadColumns { get; }
}
