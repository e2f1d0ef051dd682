using System.Reflection;
using System.Runtime.InteropServices;

namespace FastPrune.TensorRT;

/// <summary>
/// Locates and loads the native TensorRT shim (<c>libfp_trt.so</c>) and answers whether TensorRT can be used.
/// </summary>
/// <remarks>
/// Search order: the path given to <see cref="UseLibrary"/>; else the file named by the environment
/// variable <see cref="EnvironmentVariable"/>; else <see cref="LibraryFileName"/> in the application folder,
/// next to this assembly, then wherever the dynamic loader finds it (LD_LIBRARY_PATH, rpath, ld.so cache).
/// Once a library has loaded it stays loaded for the process: the runtime caches P/Invoke targets.
/// </remarks>
public static class TensorRtRuntime
{
    /// <summary>Environment variable holding an explicit path to the shim library.</summary>
    public const string EnvironmentVariable = "FASTPRUNE_TRT_SHIM";

    /// <summary>File name of the shim library on Linux.</summary>
    public const string LibraryFileName = "libfp_trt.so";

    private static readonly Lock Gate = new();
    private static string? s_explicitPath;
    private static nint s_handle;
    private static string? s_loadedPath;

    static TensorRtRuntime()
    {
        // One resolver per assembly is all the runtime allows; it hands out whatever TryLoad opened.
        NativeLibrary.SetDllImportResolver(typeof(TensorRtRuntime).Assembly, Resolve);
    }

    /// <summary>Whether the shim loads and matches this binding's ABI. Never throws.</summary>
    public static bool IsAvailable => TryLoad(out _);

    /// <summary>The path the shim was loaded from, or <see langword="null"/> if it has not loaded.</summary>
    public static string? LoadedPath
    {
        get
        {
            lock (Gate)
            {
                return s_loadedPath;
            }
        }
    }

    /// <summary>
    /// Makes the binding load the shim from <paramref name="libraryPath"/> instead of searching. Tests use
    /// it to point the binding at the TensorRT-free fake. Must be called before the shim is first loaded.
    /// </summary>
    /// <param name="libraryPath">Path of a library implementing <c>fp_trt.h</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="libraryPath"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="libraryPath"/> is empty or whitespace.</exception>
    /// <exception cref="InvalidOperationException">A different library has already been loaded.</exception>
    public static void UseLibrary(string libraryPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(libraryPath);
        string fullPath = Path.GetFullPath(libraryPath);
        lock (Gate)
        {
            if (s_loadedPath is not null && s_loadedPath != fullPath)
            {
                throw new InvalidOperationException(
                    $"The TensorRT shim is already loaded from '{s_loadedPath}'; it cannot be switched to '{fullPath}' in this process.");
            }
            s_explicitPath = fullPath;
        }
    }

    /// <summary>Loads the shim if it is not loaded yet. Never throws.</summary>
    /// <param name="reason">Empty on success; otherwise one line saying what was tried and why each failed.</param>
    /// <returns>Whether the shim is loaded and usable.</returns>
    public static bool TryLoad(out string reason)
    {
        lock (Gate)
        {
            if (s_handle != 0)
            {
                reason = string.Empty;
                return true;
            }
            string? assemblyDirectory = Path.GetDirectoryName(typeof(TensorRtRuntime).Assembly.Location);
            var candidates = ShimLoader.Candidates(
                s_explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable), assemblyDirectory);
            // Failures are not cached: a later UseLibrary or installed library gets a fresh attempt.
            if (!ShimLoader.TryOpen(candidates, out nint handle, out string path, out reason))
            {
                return false;
            }
            s_handle = handle;
            s_loadedPath = path;
            return true;
        }
    }

    /// <summary>The version of the TensorRT library the shim runs on, e.g. "10.16.1".</summary>
    /// <returns>The version string.</returns>
    /// <exception cref="TensorRtException">The shim is unavailable or the query failed.</exception>
    public static unsafe string GetTensorRtVersion()
    {
        EnsureLoaded();
        return NativeMethods.ReadString(&NativeMethods.Version);
    }

    /// <summary>The name of the CUDA device engines are built for, e.g. "NVIDIA H100 80GB HBM3".</summary>
    /// <returns>The device name.</returns>
    /// <exception cref="TensorRtException">The shim is unavailable or CUDA reported an error.</exception>
    public static unsafe string GetDeviceName()
    {
        EnsureLoaded();
        return NativeMethods.ReadString(&NativeMethods.DeviceName);
    }

    /// <summary>Runs the static constructor, which installs the import resolver (no-op afterwards).</summary>
    internal static void EnsureResolver()
    {
    }

    /// <summary>Loads the shim or throws <see cref="TensorRtException"/> with <see cref="TensorRtStatus.Unavailable"/>.</summary>
    internal static void EnsureLoaded()
    {
        if (!TryLoad(out string reason))
        {
            throw new TensorRtException(TensorRtStatus.Unavailable, reason);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.LibraryName)
        {
            return 0;
        }
        // Returning 0 lets the runtime fail with DllNotFoundException; public entry points call
        // EnsureLoaded first, so that only happens if a native call bypasses them.
        return TryLoad(out _) ? s_handle : 0;
    }
}
