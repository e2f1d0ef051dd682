using FastPrune.Graph;
using FastPrune.Runtime;

namespace FastPrune.Bench;

/// <summary>
/// Where ONNX Runtime CPU puts its time, seen from the graph it actually runs: it rewrites a convolution into a
/// blocked-layout (NCHWc) kernel when its input channels are a multiple of 4, padding them to the SIMD block (8 floats
/// on AVX2, 16 on AVX-512); the rest stay on the generic path, and every switch between layouts costs a reorder of the
/// whole activation tensor.
/// </summary>
internal static class OrtLayoutReport
{
    /// <summary>Counts of the optimised graph's ops that show the layout ONNX Runtime chose, e.g. "nchwc Conv 52, FusedConv 1, nchwc ReorderInput 2".</summary>
    public static string Describe(string modelPath)
    {
        var graph = OrtNchwcBlock.Optimized(OnnxModel.Load(modelPath), Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
        var counts = graph.Node.GroupBy(n => n.Domain == OrtNchwcBlock.Domain ? "nchwc " + n.OpType : n.OpType)
            .Where(g => g.Key.StartsWith("nchwc ", StringComparison.Ordinal) || g.Key is "Conv" or "FusedConv" or "MatMul" or "FusedMatMul" or "Gemm")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}");
        return string.Join(", ", counts);
    }
}
