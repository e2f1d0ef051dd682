using FastPrune.TensorRT;

namespace FastPrune.Runtime;

/// <summary>Picks the fastest engine that works on this machine (the CLI's <c>--engine auto</c>).</summary>
internal static class EngineSelector
{
    /// <summary>
    /// TensorRT when the shim loads and sees a GPU, else ONNX Runtime CUDA when a session can be created on
    /// it, else ONNX Runtime CPU. Never throws.
    /// </summary>
    /// <param name="skipped">Empty when TensorRT was chosen; otherwise one line per engine passed over, "; "-joined, saying why.</param>
    /// <returns>The chosen engine.</returns>
    public static InferenceEngine SelectAuto(out string skipped)
    {
        var reasons = new List<string>(2);
        if (TensorRtRuntime.TryLoad(out string trtReason))
        {
            try
            {
                // The shim loads without a GPU; asking for the device is what proves one is there.
                _ = TensorRtRuntime.GetDeviceName();
                skipped = string.Empty;
                return InferenceEngine.TensorRt;
            }
            catch (TensorRtException e)
            {
                trtReason = $"TensorRT shim loaded but no usable GPU: {BenchmarkException.OneLine(e.Message)}";
            }
        }
        reasons.Add(trtReason);
        if (OrtSessionFactory.TryCreateCuda(out string cudaReason))
        {
            skipped = string.Join("; ", reasons);
            return InferenceEngine.OrtCuda;
        }
        reasons.Add(cudaReason);
        skipped = string.Join("; ", reasons);
        return InferenceEngine.OrtCpu;
    }
}
