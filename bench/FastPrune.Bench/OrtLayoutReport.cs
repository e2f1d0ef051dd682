using FastPrune.Graph.Onnx;
using FastPrune.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Bench;

/// <summary>
/// Where ONNX Runtime CPU puts its time, seen from the graph it actually runs: it rewrites convolutions into
/// blocked-layout (NCHWc) kernels only when channel counts are multiples of the SIMD block (8 floats on AVX2,
/// 16 on AVX-512); the rest stay on the generic path, and every switch between layouts costs a reorder of the
/// whole activation tensor.
/// </summary>
internal static class OrtLayoutReport
{
    /// <summary>Counts of the optimised graph's ops that show the layout ONNX Runtime chose, e.g. "nchwc Conv 52, FusedConv 1, nchwc ReorderInput 2".</summary>
    public static string Describe(string modelPath, int threads)
    {
        string optimized = modelPath + ".ort-optimized.onnx";
        using (var options = OrtSessionFactory.CreateOptions(InferenceEngine.OrtCpu, threads))
        {
            options.OptimizedModelFilePath = optimized;
            using var session = new InferenceSession(modelPath, options);
        }
        try
        {
            using var stream = File.OpenRead(optimized);
            var graph = ModelProto.Parser.ParseFrom(stream).Graph;
            // Blocked-layout kernels keep their op names but move to the com.microsoft.nchwc domain.
            var counts = graph.Node.GroupBy(n => n.Domain == "com.microsoft.nchwc" ? "nchwc " + n.OpType : n.OpType)
                .Where(g => g.Key.StartsWith("nchwc ", StringComparison.Ordinal) || g.Key is "Conv" or "FusedConv" or "MatMul" or "FusedMatMul" or "Gemm")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {g.Count()}");
            return string.Join(", ", counts);
        }
        finally
        {
            File.Delete(optimized);
        }
    }
}
