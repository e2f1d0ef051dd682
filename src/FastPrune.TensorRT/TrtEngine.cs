using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace FastPrune.TensorRT;

/// <summary>
/// A TensorRT engine built (or loaded from its cache) for one ONNX model at one batch size, with an execution
/// context and device buffers ready, so <see cref="Benchmark(int, int)"/> can time inference.
/// </summary>
/// <remarks>Not thread-safe: use one instance from one thread at a time. Dispose it to free GPU memory.</remarks>
public sealed class TrtEngine : IDisposable
{
    /// <summary>Largest iteration count one <see cref="Benchmark(int, int)"/> call accepts.</summary>
    public const int MaxIterations = NativeMethods.MaxIterations;

    private readonly TrtEngineHandle _handle;

    private TrtEngine(TrtEngineHandle handle, int batch, bool strictFp32)
    {
        _handle = handle;
        Batch = batch;
        StrictFp32 = strictFp32;
        NativeMethods.ThrowIfFailed(NativeMethods.EngineFromCache(handle, out int fromCache));
        LoadedFromCache = fromCache != 0;
        NativeMethods.ThrowIfFailed(NativeMethods.EngineCachePath(handle, out nint path));
        CachePath = Marshal.PtrToStringUTF8(path) ?? string.Empty;
        Tensors = ReadTensors(handle);
    }

    /// <summary>The batch size the engine was built for.</summary>
    public int Batch { get; }

    /// <summary>True when TF32 was disabled at build time (strict IEEE FP32 arithmetic).</summary>
    public bool StrictFp32 { get; }

    /// <summary>True when the engine was deserialised from an existing cache file instead of built.</summary>
    public bool LoadedFromCache { get; }

    /// <summary>The engine cache file (written on build, read on later builds with the same key).</summary>
    public string CachePath { get; }

    /// <summary>Every IO tensor in TensorRT's order.</summary>
    public IReadOnlyList<TrtTensorInfo> Tensors { get; }

    /// <summary>The input tensors, in TensorRT's order.</summary>
    public IEnumerable<TrtTensorInfo> Inputs => Tensors.Where(t => t.IsInput);

    /// <summary>The output tensors, in TensorRT's order.</summary>
    public IEnumerable<TrtTensorInfo> Outputs => Tensors.Where(t => !t.IsInput);

    /// <summary>
    /// Builds an FP32 engine for <paramref name="onnxPath"/> at <paramref name="batch"/> (or loads it from the
    /// cache), allocates device buffers for every IO tensor and fills the inputs with deterministic data.
    /// </summary>
    /// <param name="onnxPath">The ONNX model; its first input dimension must be dynamic or equal to the batch.</param>
    /// <param name="batch">Batch size; the optimisation profile's min, opt and max.</param>
    /// <param name="strictFp32">False keeps TensorRT's default (TF32 tensor cores allowed); true forbids TF32.</param>
    /// <param name="cacheDir">Folder for the engine cache; null for the model's folder.</param>
    /// <returns>The ready engine; dispose it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="onnxPath"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="onnxPath"/> is empty or contains NUL, or <paramref name="cacheDir"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is not positive.</exception>
    /// <exception cref="TensorRtException">The shim is unavailable, or reading, parsing, building or binding failed.</exception>
    public static TrtEngine Build(string onnxPath, int batch, bool strictFp32 = false, string? cacheDir = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (onnxPath.Contains('\0'))
        {
            throw new ArgumentException("The path contains a NUL character.", nameof(onnxPath));
        }
        if (cacheDir is not null && (cacheDir.Length == 0 || cacheDir.Contains('\0')))
        {
            throw new ArgumentException("The cache folder is empty or contains NUL; pass null for the model's folder.", nameof(cacheDir));
        }
        TensorRtRuntime.EnsureLoaded();

        // Absolute paths: the native messages and the cache path then name the file unambiguously.
        int status = NativeMethods.EngineCreate(
            Path.GetFullPath(onnxPath), batch, strictFp32 ? 1 : 0, cacheDir is null ? null : Path.GetFullPath(cacheDir), out TrtEngineHandle handle);
        if (status != 0)
        {
            handle.Dispose(); // holds NULL on failure; disposing is a no-op that keeps analysers honest
            NativeMethods.ThrowIfFailed(status);
        }
        try
        {
            return new TrtEngine(handle, batch, strictFp32);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="warmup"/> untimed inferences, then <paramref name="iterations"/> timed ones, and
    /// returns the GPU milliseconds of each timed inference (CUDA events around each enqueueV3).
    /// </summary>
    /// <param name="warmup">Untimed runs first (0 or more).</param>
    /// <param name="iterations">Timed runs, 1 to <see cref="MaxIterations"/>.</param>
    /// <returns>Milliseconds per timed iteration, in run order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmup"/> is negative or <paramref name="iterations"/> is outside [1, <see cref="MaxIterations"/>].</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    /// <exception cref="TensorRtException">Execution failed.</exception>
    public float[] Benchmark(int warmup, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var milliseconds = new float[iterations];
        Benchmark(warmup, milliseconds);
        return milliseconds;
    }

    /// <summary>Span form of <see cref="Benchmark(int, int)"/>: times <c>destination.Length</c> iterations into it.</summary>
    /// <param name="warmup">Untimed runs first (0 or more).</param>
    /// <param name="destination">Receives milliseconds per timed iteration; its length (1 to <see cref="MaxIterations"/>) is the iteration count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmup"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is empty or longer than <see cref="MaxIterations"/>.</exception>
    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    /// <exception cref="TensorRtException">Execution failed.</exception>
    public unsafe void Benchmark(int warmup, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        if (destination.IsEmpty || destination.Length > MaxIterations)
        {
            throw new ArgumentException($"The destination must hold 1 to {MaxIterations} iterations, not {destination.Length}.", nameof(destination));
        }
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        fixed (float* ms = destination)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.EngineBenchmark(_handle, warmup, destination.Length, ms));
        }
    }

    /// <summary>Releases the engine, its context, device buffers and stream. Safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private static unsafe ImmutableArray<TrtTensorInfo> ReadTensors(TrtEngineHandle handle)
    {
        NativeMethods.ThrowIfFailed(NativeMethods.EngineIoCount(handle, out int count));
        var tensors = ImmutableArray.CreateBuilder<TrtTensorInfo>(count);
        long* dims = stackalloc long[NativeMethods.MaxDims];
        for (int i = 0; i < count; i++)
        {
            NativeMethods.ThrowIfFailed(NativeMethods.EngineIoInfo(handle, i, out nint name, out int isInput, out int rank, dims));
            if (rank < 0 || rank > NativeMethods.MaxDims)
            {
                throw new TensorRtException(TensorRtStatus.Internal, $"fp_trt_engine_io_info: rank {rank} of tensor {i} is outside [0, {NativeMethods.MaxDims}]");
            }
            var shape = new ReadOnlySpan<long>(dims, rank).ToImmutableArray();
            tensors.Add(new TrtTensorInfo(Marshal.PtrToStringUTF8(name) ?? string.Empty, isInput != 0, shape));
        }
        return tensors.MoveToImmutable();
    }
}
