using System.Runtime.InteropServices;

namespace FastPrune.TensorRT;

/// <summary>
/// Owns one <c>fp_trt_engine*</c>. The runtime guarantees <see cref="ReleaseHandle"/> runs exactly once,
/// whether the owner disposes it, an exception unwinds past it, or only the finaliser reaches it.
/// </summary>
internal sealed class TrtEngineHandle : SafeHandle
{
    // The source-generated marshaller for `out TrtEngineHandle` needs a public parameterless constructor.
    public TrtEngineHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        // fp_trt_engine_destroy never fails and frees the context, engine, runtime, buffers and stream.
        NativeMethods.EngineDestroy(handle);
        return true;
    }
}
