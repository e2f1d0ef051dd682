using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>Session options for evaluation: the CUDA execution provider where it loads, the CPU provider otherwise.</summary>
public static class SessionFactory
{
    /// <summary>Options for <paramref name="useCuda"/>; <paramref name="reason"/> says why CUDA was not used when it was asked for.</summary>
    public static SessionOptions Create(bool useCuda, int threads, out string? reason)
    {
        reason = null;
        var o = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // Old exporters' initializer-as-input warnings would flood the terminal once per subnet.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        o.AddSessionConfigEntry("session.disable_prepacking", "0");
        if (useCuda)
        {
            try
            {
                o.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException e)
            {
                reason = "CUDA execution provider unavailable: " + e.Message.Split('\n')[0];
            }
        }
        return o;
    }
}
