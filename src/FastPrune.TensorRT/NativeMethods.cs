using System.Runtime.InteropServices;

namespace FastPrune.TensorRT;

/// <summary>
/// P/Invoke declarations for <c>native/trt_shim/fp_trt.h</c>. The library name "fp_trt" is resolved by
/// <see cref="TensorRtRuntime"/>'s import resolver, never by default probing, so tests can swap in the fake.
/// Every status-returning call must be followed, on the same thread, by <see cref="ThrowIfFailed"/>.
/// </summary>
internal static partial class NativeMethods
{
    internal const string LibraryName = "fp_trt";

    // Any first call into this class installs TensorRtRuntime's import resolver first, so "fp_trt" can
    // never be bound by default probing, even from a path that skipped TensorRtRuntime.
    static NativeMethods() => TensorRtRuntime.EnsureResolver();

    /// <summary><c>FP_TRT_ABI_VERSION</c> this binding was written against.</summary>
    internal const int AbiVersion = 1;

    /// <summary><c>FP_TRT_MAX_DIMS</c>.</summary>
    internal const int MaxDims = 8;

    /// <summary><c>FP_TRT_MAX_ITERATIONS</c>.</summary>
    internal const int MaxIterations = 1_000_000;

    // const char *fp_trt_last_error(void);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_last_error")]
    internal static partial nint LastError();

    // int32_t fp_trt_version(char *buffer, int32_t capacity, int32_t *out_length);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_version")]
    internal static unsafe partial int Version(byte* buffer, int capacity, out int length);

    // int32_t fp_trt_device_name(char *buffer, int32_t capacity, int32_t *out_length);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_device_name")]
    internal static unsafe partial int DeviceName(byte* buffer, int capacity, out int length);

    // int32_t fp_trt_engine_create(const char *onnx_path, int32_t batch, int32_t strict_fp32,
    //                              const char *cache_dir, fp_trt_engine **out_engine);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EngineCreate(
        string? onnxPath, int batch, int strictFp32, string? cacheDir, out TrtEngineHandle engine);

    // void fp_trt_engine_destroy(fp_trt_engine *engine);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_destroy")]
    internal static partial void EngineDestroy(nint engine);

    // int32_t fp_trt_engine_from_cache(const fp_trt_engine *engine, int32_t *out_from_cache);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_from_cache")]
    internal static partial int EngineFromCache(TrtEngineHandle engine, out int fromCache);

    // int32_t fp_trt_engine_cache_path(const fp_trt_engine *engine, const char **out_path);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_cache_path")]
    internal static partial int EngineCachePath(TrtEngineHandle engine, out nint path);

    // int32_t fp_trt_engine_io_count(const fp_trt_engine *engine, int32_t *out_count);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_io_count")]
    internal static partial int EngineIoCount(TrtEngineHandle engine, out int count);

    // int32_t fp_trt_engine_io_info(const fp_trt_engine *engine, int32_t index, const char **out_name,
    //                               int32_t *out_is_input, int32_t *out_rank, int64_t *out_dims);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_io_info")]
    internal static unsafe partial int EngineIoInfo(
        TrtEngineHandle engine, int index, out nint name, out int isInput, out int rank, long* dims);

    // int32_t fp_trt_engine_benchmark(fp_trt_engine *engine, int32_t warmup, int32_t iterations,
    //                                 float *out_ms_per_iter);
    [LibraryImport(LibraryName, EntryPoint = "fp_trt_engine_benchmark")]
    internal static unsafe partial int EngineBenchmark(TrtEngineHandle engine, int warmup, int iterations, float* msPerIteration);

    /// <summary>Throws <see cref="TensorRtException"/> with the thread's native message unless status is 0.</summary>
    internal static void ThrowIfFailed(int status)
    {
        if (status != 0)
        {
            // Same thread as the failing call: the slot is thread-local and still holds its message.
            string message = Marshal.PtrToStringUTF8(LastError()) ?? string.Empty;
            throw new TensorRtException((TensorRtStatus)status, message.Length > 0 ? message : $"fp_trt status {status}");
        }
    }

    /// <summary>Reads a string through the fp_trt_version buffer contract, growing the buffer once if needed.</summary>
    internal static unsafe string ReadString(delegate*<byte*, int, out int, int> call, int initialCapacity = 128)
    {
        Span<byte> small = stackalloc byte[initialCapacity];
        int length;
        int status;
        fixed (byte* buffer = small)
        {
            status = call(buffer, small.Length, out length);
            if (status == 0)
            {
                return System.Text.Encoding.UTF8.GetString(buffer, length);
            }
        }
        if (status != (int)TensorRtStatus.BufferTooSmall)
        {
            ThrowIfFailed(status);
        }
        byte[] large = new byte[length + 1];
        fixed (byte* buffer = large)
        {
            ThrowIfFailed(call(buffer, large.Length, out length));
        }
        return System.Text.Encoding.UTF8.GetString(large, 0, length);
    }
}
