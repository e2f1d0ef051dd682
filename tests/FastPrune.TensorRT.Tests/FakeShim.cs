using System.Reflection;
using System.Runtime.InteropServices;
using FastPrune.TensorRT;

namespace FastPrune.TensorRT.Tests;

/// <summary>
/// Points the binding at libfp_trt_fake.so (built by this project's CMake step) and exposes the fake's
/// test-only counters. Every test touches it first, so the binding never searches for the real shim.
/// </summary>
internal static partial class FakeShim
{
    public const string Version = "0.0.0-fake";
    public const string DeviceName = "Fake GPU (fp_trt_fake, no CUDA)";

    public static readonly string LibraryPath = Path.Combine(AppContext.BaseDirectory, "libfp_trt_fake.so");

    static FakeShim()
    {
        TensorRtRuntime.UseLibrary(LibraryPath);
        if (!TensorRtRuntime.TryLoad(out string reason))
        {
            throw new InvalidOperationException(reason);
        }
        // The counters below live in the same file; dlopen of the same path returns the same instance.
        NativeLibrary.SetDllImportResolver(typeof(FakeShim).Assembly, Resolve);
    }

    /// <summary>Runs the static constructor (no-op afterwards).</summary>
    public static void Install()
    {
    }

    // int32_t fp_trt_fake_live_handles(void);
    [LibraryImport("fp_trt_fake", EntryPoint = "fp_trt_fake_live_handles")]
    public static partial int LiveHandles();

    // int32_t fp_trt_fake_bad_destroys(void);
    [LibraryImport("fp_trt_fake", EntryPoint = "fp_trt_fake_bad_destroys")]
    public static partial int BadDestroys();

    /// <summary>The fake's documented timing formula (fp_trt_fake.h), computed in double, rounded once.</summary>
    public static float ExpectedMilliseconds(int batch, bool strictFp32, int warmup, int i)
    {
        double scale = strictFp32 ? 2.0 : 1.0;
        return (float)(scale * (0.5 + 0.25 * batch) + 0.001 * (warmup + i));
    }

    /// <summary>Reference FNV-1a 64 (the cache key), written independently of the C version.</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data)
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }
        return hash;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "fp_trt_fake" ? NativeLibrary.Load(LibraryPath) : 0;
}
