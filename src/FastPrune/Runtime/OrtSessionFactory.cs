using FastPrune.Graph.Building;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on the CPU or the CUDA execution provider, turning the provider's native
/// failures (missing CUDA 13 / cuDNN 9 libraries, no GPU) into one-line <see cref="BenchmarkException"/>s.
/// </summary>
internal static class OrtSessionFactory
{
    /// <summary>The prefix of every CUDA unavailability message.</summary>
    public const string CudaUnavailablePrefix = "CUDA execution provider unavailable: ";

    private static readonly Lock EnvLogGate = new();

    private static readonly Lazy<string> CudaProbe = new(ProbeCuda, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Session options for <paramref name="engine"/>: full graph optimisation, sequential execution, and
    /// <paramref name="intraOpThreads"/> threads (0 lets ONNX Runtime pick, one per physical core).
    /// </summary>
    /// <param name="engine"><see cref="InferenceEngine.OrtCpu"/> or <see cref="InferenceEngine.OrtCuda"/>.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for ONNX Runtime's default.</param>
    /// <returns>Options the caller disposes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intraOpThreads"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="engine"/> is not an ONNX Runtime engine.</exception>
    /// <exception cref="BenchmarkException">The CUDA provider cannot be appended (<see cref="BenchmarkFailure.EngineUnavailable"/>).</exception>
    public static SessionOptions CreateOptions(InferenceEngine engine, int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        if (engine is not (InferenceEngine.OrtCpu or InferenceEngine.OrtCuda))
            throw new ArgumentException($"{engine.ToName()} is not an ONNX Runtime engine", nameof(engine));
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            // Every failure comes back as an exception that callers report in one line; ONNX Runtime's own
            // log lines (e.g. nodes placed on the CPU next to CUDA) would otherwise go straight to stderr.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        if (engine == InferenceEngine.OrtCuda)
        {
            try
            {
                AppendCuda(options);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                options.Dispose();
                string why = BenchmarkException.OneLine(e.Message);
                string? loader = ProviderLoaderError();
                throw new BenchmarkException(BenchmarkFailure.EngineUnavailable,
                    CudaUnavailablePrefix + (loader is null ? why : $"{why}: {loader}"), inner: e);
            }
        }
        return options;
    }

    /// <summary>Creates a session for the model file <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="engine"><see cref="InferenceEngine.OrtCpu"/> or <see cref="InferenceEngine.OrtCuda"/>.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for ONNX Runtime's default.</param>
    /// <returns>The session; dispose it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intraOpThreads"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="engine"/> is not an ONNX Runtime engine.</exception>
    /// <exception cref="BenchmarkException">The provider is unavailable, or ONNX Runtime rejects the model.</exception>
    public static InferenceSession Create(string modelPath, InferenceEngine engine, int intraOpThreads = 0) => Create(modelPath, engine, intraOpThreads, null);

    /// <summary>Creates a session for the model file <paramref name="modelPath"/> with ONNX Runtime's profiler writing
    /// to files starting <paramref name="profilePrefix"/> (null: no profiling).</summary>
    /// <exception cref="BenchmarkException">The provider is unavailable, or ONNX Runtime rejects the model.</exception>
    public static InferenceSession Create(string modelPath, InferenceEngine engine, int intraOpThreads, string? profilePrefix)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        using var options = CreateOptions(engine, intraOpThreads);
        if (profilePrefix is not null)
        {
            // The prefix first: enabling the profiler hands ONNX Runtime the prefix set at that moment.
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }
        return Open(() => new InferenceSession(modelPath, options), engine, modelPath);
    }

    /// <summary>Creates a session for a serialised model.</summary>
    /// <param name="model">The ONNX bytes.</param>
    /// <param name="engine"><see cref="InferenceEngine.OrtCpu"/> or <see cref="InferenceEngine.OrtCuda"/>.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 for ONNX Runtime's default.</param>
    /// <returns>The session; dispose it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="intraOpThreads"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="engine"/> is not an ONNX Runtime engine.</exception>
    /// <exception cref="BenchmarkException">The provider is unavailable, or ONNX Runtime rejects the model.</exception>
    public static InferenceSession Create(byte[] model, InferenceEngine engine, int intraOpThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var options = CreateOptions(engine, intraOpThreads);
        return Open(() => new InferenceSession(model, options), engine, null);
    }

    /// <summary>
    /// Whether the CUDA execution provider works here: it is appended and a one-node session is created on
    /// it, which needs the CUDA libraries and a visible GPU. Probed once per process. Never throws.
    /// </summary>
    /// <param name="reason">Empty when usable; otherwise one line starting with <see cref="CudaUnavailablePrefix"/>.</param>
    /// <returns>Whether sessions can be created on CUDA.</returns>
    public static bool TryCreateCuda(out string reason)
    {
        reason = CudaProbe.Value;
        return reason.Length == 0;
    }

    /// <summary>
    /// Appends the CUDA provider, which loads <c>libonnxruntime_providers_cuda.so</c> and with it the CUDA
    /// runtime, cuBLAS and cuDNN. ONNX Runtime logs a failed load through the process-wide logger to stderr
    /// before throwing; that logger is silenced for the call so the failure is reported once, in one line.
    /// </summary>
    private static void AppendCuda(SessionOptions options)
    {
        lock (EnvLogGate)
        {
            var env = OrtEnv.Instance();
            var previous = env.EnvLogLevel;
            env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            finally
            {
                env.EnvLogLevel = previous;
            }
        }
    }

    /// <summary>
    /// The dynamic loader's reason why the CUDA provider library does not load (e.g. "libcublasLt.so.13: cannot
    /// open shared object file"), which ONNX Runtime's exception leaves out; null when it loads or is not found.
    /// </summary>
    private static string? ProviderLoaderError()
    {
        const string file = "libonnxruntime_providers_cuda.so";
        string rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64";
        string[] candidates = [Path.Combine(AppContext.BaseDirectory, file), Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", file)];
        foreach (string path in candidates.Where(File.Exists))
        {
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
                return null;
            }
            catch (DllNotFoundException e)
            {
                // .NET prefixes dlerror's text with generic advice; keep only the loader's own words.
                string text = BenchmarkException.OneLine(e.Message);
                const string marker = "environment variable: ";
                int at = text.LastIndexOf(marker, StringComparison.Ordinal);
                return at >= 0 ? text[(at + marker.Length)..] : text;
            }
        }
        return null;
    }

    private static InferenceSession Open(Func<InferenceSession> open, InferenceEngine engine, string? model)
    {
        try
        {
            return open();
        }
        catch (OnnxRuntimeException e)
        {
            string text = BenchmarkException.OneLine(e.Message);
            // Session creation is where the CUDA provider first touches the device: no GPU or a broken
            // driver surfaces here rather than when the provider is appended.
            if (engine == InferenceEngine.OrtCuda && LooksLikeCudaSetupFailure(text))
                throw new BenchmarkException(BenchmarkFailure.EngineUnavailable, CudaUnavailablePrefix + text, model, e);
            throw new BenchmarkException(BenchmarkFailure.ModelFailed, $"ONNX Runtime ({engine.ToName()}) cannot load the model: {text}", model, e);
        }
    }

    private static bool LooksLikeCudaSetupFailure(string text) =>
        text.Contains("CUDA failure", StringComparison.OrdinalIgnoreCase)
        || text.Contains("cudaGetDeviceCount", StringComparison.Ordinal)
        || text.Contains("cudaSetDevice", StringComparison.Ordinal)
        || text.Contains("CUDA driver", StringComparison.OrdinalIgnoreCase)
        || text.Contains("no CUDA-capable device", StringComparison.OrdinalIgnoreCase);

    private static string ProbeCuda()
    {
        try
        {
            var b = new GraphBuilder("cuda_probe");
            string x = b.Input("x", ElemType.Float, 1, 4);
            b.Output(b.Node("Relu", [x], output: "y"), ElemType.Float, 1, 4);
            using var session = Create(b.Build().ToByteArray(), InferenceEngine.OrtCuda);
            return string.Empty;
        }
        catch (BenchmarkException e)
        {
            return e.Message.StartsWith(CudaUnavailablePrefix, StringComparison.Ordinal) ? e.Message : CudaUnavailablePrefix + e.Message;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or TypeInitializationException)
        {
            return CudaUnavailablePrefix + BenchmarkException.OneLine(e.Message);
        }
    }
}
