namespace FastPrune.TensorRT;

/// <summary>
/// Status codes of the native shim (<c>fp_trt_status</c> in <c>native/trt_shim/fp_trt.h</c>), plus
/// <see cref="Unavailable"/>, which only the managed side reports.
/// </summary>
public enum TensorRtStatus
{
    /// <summary>The shim library could not be loaded, so no native call was made.</summary>
    Unavailable = -1,

    /// <summary>Success (never carried by an exception).</summary>
    Ok = 0,

    /// <summary>A null pointer, empty string, non-positive count or out-of-range index reached the shim.</summary>
    InvalidArgument = 1,

    /// <summary>The model or engine cache file could not be read or written.</summary>
    Io = 2,

    /// <summary>The ONNX parser rejected the model.</summary>
    Parse = 3,

    /// <summary>The model is valid but outside what the shim handles (a fixed batch, a dynamic spatial dim).</summary>
    Unsupported = 4,

    /// <summary>TensorRT failed to build or deserialise the engine.</summary>
    Build = 5,

    /// <summary>A CUDA runtime call failed (no device, out of device memory, ...).</summary>
    Cuda = 6,

    /// <summary>Execution context creation, shape binding or <c>enqueueV3</c> failed.</summary>
    Runtime = 7,

    /// <summary>A string buffer was too small (handled inside the binding; never surfaces).</summary>
    BufferTooSmall = 8,

    /// <summary>The shim caught an unexpected C++ exception.</summary>
    Internal = 9,
}
