using FastPrune.Graph.Onnx;

namespace FastPrune.Graph;

/// <summary>
/// Measures tensor shapes by running a graph, for ops that <see cref="ShapeInference"/> has no rule for
/// (com.microsoft ops, rare standard ones, data-dependent shapes). Graph knows no runtime: the library that
/// owns ONNX Runtime implements this and hands it in through <see cref="ShapeOptions"/>.
/// </summary>
public interface IShapeOracle
{
    /// <summary>
    /// Runs <paramref name="model"/> once per entry of <paramref name="runs"/> (graph input name → concrete
    /// shape; the oracle chooses the values) and returns, per run, the element type and shape of each of
    /// <paramref name="tensors"/> it could observe.
    /// </summary>
    /// <param name="model">The model; not modified (an implementation exposes the tensors on a copy).</param>
    /// <param name="runs">Input shapes of each run (e.g. batch 1, then batch 2 to tell the batch dim apart).</param>
    /// <param name="tensors">Intermediate tensors to measure.</param>
    /// <exception cref="ModelFormatException">The runtime cannot run the model; the message names the cause.</exception>
    IReadOnlyList<IReadOnlyDictionary<string, MeasuredTensor>> Measure(
        ModelProto model, IReadOnlyList<IReadOnlyDictionary<string, long[]>> runs, IReadOnlyCollection<string> tensors);
}

/// <summary>A tensor as a run produced it.</summary>
/// <param name="ElemType">ONNX element type.</param>
/// <param name="Shape">Concrete dims.</param>
public sealed record MeasuredTensor(int ElemType, long[] Shape);
