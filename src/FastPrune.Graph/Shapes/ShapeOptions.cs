namespace FastPrune.Graph;

/// <summary>
/// What shape inference may use beyond the graph itself: user-given input shapes (dynamic H/W fixed for
/// analysis) and an <see cref="IShapeOracle"/> that measures tensors of ops without a rule. A model carries
/// its options (<see cref="OnnxModel.ShapeOptions"/>) into every model derived from it, so a pruned model
/// is analysed as its original was; measurements are cached here and reused while the inputs of the
/// measured node keep their shapes (surgery freezes the channels through such nodes, so they do).
/// </summary>
public sealed class ShapeOptions
{
    /// <summary>Creates options.</summary>
    /// <param name="inputShapes">Overrides of graph input shapes; at most one per input.</param>
    /// <param name="oracle">Measures what no rule infers; null leaves such tensors unknown.</param>
    /// <exception cref="InputShapeException">Two overrides name the same input, or more than one has no name.</exception>
    public ShapeOptions(IReadOnlyList<InputShape>? inputShapes = null, IShapeOracle? oracle = null)
    {
        InputShapes = inputShapes ?? [];
        Oracle = oracle;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in InputShapes)
            if (!seen.Add(s.Name ?? ""))
                throw new InputShapeException(s.Name is null
                    ? "--input-shape is given twice without an input name; name the inputs (NAME:D0,D1,…)"
                    : $"--input-shape is given twice for input '{s.Name}'");
        if (seen.Contains("") && InputShapes.Count > 1)
            throw new InputShapeException("with several --input-shape values every one must name its input (NAME:D0,D1,…)");
    }

    /// <summary>No overrides and no oracle: shape inference from the graph alone.</summary>
    public static ShapeOptions None { get; } = new();

    /// <summary>The input shape overrides.</summary>
    public IReadOnlyList<InputShape> InputShapes { get; }

    /// <summary>The oracle for ops without a rule, or null.</summary>
    public IShapeOracle? Oracle { get; }

    /// <summary>Options with <paramref name="more"/> added to the overrides (e.g. sizes read from the data).</summary>
    /// <exception cref="InputShapeException">An input would get two overrides.</exception>
    public ShapeOptions WithInputShapes(IEnumerable<InputShape> more) => new([.. InputShapes, .. more], Oracle);

    /// <summary>Options with <paramref name="oracle"/> as the oracle.</summary>
    public ShapeOptions WithOracle(IShapeOracle? oracle) => new(InputShapes, oracle);

    internal MeasuredShapes Measured { get; } = new();
}
