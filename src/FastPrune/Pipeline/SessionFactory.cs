using FastPrune.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>Session options for evaluation: the CUDA execution provider where it loads, the CPU provider otherwise.</summary>
internal static class SessionFactory
{
    /// <summary>Options for <paramref name="useCuda"/>; <paramref name="reason"/> says why CUDA was not used when it was asked for.</summary>
    public static SessionOptions Create(bool useCuda, int threads, out string? reason)
    {
        reason = null;
        if (useCuda)
        {
            try
            {
                return OrtSessionFactory.CreateOptions(InferenceEngine.OrtCuda, threads);
            }
            catch (BenchmarkException e)
            {
                // Evaluation goes on on the CPU; the caller reports why.
                reason = e.Message;
            }
        }
        return OrtSessionFactory.CreateOptions(InferenceEngine.OrtCpu, threads);
    }
}
