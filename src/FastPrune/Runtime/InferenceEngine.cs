namespace FastPrune.Runtime;

/// <summary>A runtime that <see cref="ThroughputBenchmark"/> can time a model on.</summary>
public enum InferenceEngine
{
    /// <summary>ONNX Runtime, CPU execution provider.</summary>
    OrtCpu,

    /// <summary>ONNX Runtime, CUDA execution provider (needs the CUDA 13 and cuDNN 9 libraries of ORT 1.31 and a GPU).</summary>
    OrtCuda,

    /// <summary>TensorRT through the native shim (<c>libfp_trt.so</c>), FP32 engine.</summary>
    TensorRt,
}

/// <summary>The command-line names of <see cref="InferenceEngine"/> values: <c>ort-cpu</c>, <c>ort-cuda</c>, <c>trt</c>.</summary>
public static class InferenceEngineNames
{
    /// <summary>Every engine name.</summary>
    public static IReadOnlyList<string> All { get; } = ["ort-cpu", "ort-cuda", "trt"];

    /// <summary>The name of <paramref name="engine"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="engine"/> is not a defined value.</exception>
    public static string ToName(this InferenceEngine engine) => engine switch
    {
        InferenceEngine.OrtCpu => "ort-cpu",
        InferenceEngine.OrtCuda => "ort-cuda",
        InferenceEngine.TensorRt => "trt",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "not an inference engine"),
    };

    /// <summary>Parses a name of <see cref="All"/> (case-insensitive).</summary>
    /// <returns>Whether <paramref name="name"/> names an engine.</returns>
    public static bool TryParse(string? name, out InferenceEngine engine)
    {
        switch (name?.ToLowerInvariant())
        {
            case "ort-cpu": engine = InferenceEngine.OrtCpu; return true;
            case "ort-cuda": engine = InferenceEngine.OrtCuda; return true;
            case "trt": engine = InferenceEngine.TensorRt; return true;
            default: engine = default; return false;
        }
    }
}
