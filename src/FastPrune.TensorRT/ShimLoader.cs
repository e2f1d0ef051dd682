using System.Runtime.InteropServices;

namespace FastPrune.TensorRT;

/// <summary>
/// Finds and opens the shim library and checks its ABI version. Pure except for the loads it attempts, so
/// every failure becomes a one-line reason instead of an exception.
/// </summary>
internal static class ShimLoader
{
    /// <summary>
    /// The files to try, in order: an explicit path (from <see cref="TensorRtRuntime.UseLibrary"/> or the
    /// environment variable) is the only candidate when given; otherwise the application folder, the
    /// assembly's folder, then the bare file name, which the dynamic loader searches (LD_LIBRARY_PATH, rpath).
    /// </summary>
    internal static IReadOnlyList<string> Candidates(string? explicitPath, string? environmentPath, string? assemblyDirectory)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return [explicitPath];
        }
        if (!string.IsNullOrEmpty(environmentPath))
        {
            return [environmentPath];
        }
        var list = new List<string> { Path.Combine(AppContext.BaseDirectory, TensorRtRuntime.LibraryFileName) };
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            string nextToAssembly = Path.Combine(assemblyDirectory, TensorRtRuntime.LibraryFileName);
            if (!list.Contains(nextToAssembly))
            {
                list.Add(nextToAssembly);
            }
        }
        list.Add(TensorRtRuntime.LibraryFileName);
        return list;
    }

    /// <summary>Opens the first candidate that loads and exports the expected ABI version.</summary>
    internal static bool TryOpen(IReadOnlyList<string> candidates, out nint handle, out string loadedPath, out string reason)
    {
        var failures = new List<string>(candidates.Count);
        foreach (string candidate in candidates)
        {
            if (TryOpenOne(candidate, out handle, out string failure))
            {
                loadedPath = candidate;
                reason = string.Empty;
                return true;
            }
            failures.Add(failure);
        }
        handle = 0;
        loadedPath = string.Empty;
        reason = "TensorRT shim not available: " + string.Join("; ", failures);
        return false;
    }

    private static unsafe bool TryOpenOne(string path, out nint handle, out string failure)
    {
        handle = 0;
        // A path with a folder that names no file gets a short reason; dlopen's text is long and generic.
        if (Path.IsPathRooted(path) && !File.Exists(path))
        {
            failure = $"{path}: no such file";
            return false;
        }
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception error) when (error is DllNotFoundException or BadImageFormatException)
        {
            string loaderText = LoaderText(error.Message);
            failure = loaderText.StartsWith(path + ":", StringComparison.Ordinal) ? loaderText : $"{path}: {loaderText}";
            return false;
        }
        if (!NativeLibrary.TryGetExport(handle, "fp_trt_abi_version", out nint export))
        {
            NativeLibrary.Free(handle);
            handle = 0;
            failure = $"{path}: loads but does not export fp_trt_abi_version (not an fp_trt shim)";
            return false;
        }
        int version = ((delegate* unmanaged<int>)export)();
        if (version != NativeMethods.AbiVersion)
        {
            NativeLibrary.Free(handle);
            handle = 0;
            failure = $"{path}: ABI version {version}, this binding needs {NativeMethods.AbiVersion}";
            return false;
        }
        failure = string.Empty;
        return true;
    }

    /// <summary>
    /// The dynamic loader's own words (dlerror) from a .NET load failure, without the runtime's generic
    /// advice about strace and LD_DEBUG that precedes them; the whole message if that shape is not found.
    /// </summary>
    internal static string LoaderText(string message)
    {
        const string marker = "environment variable: ";
        string line = OneLine(message);
        int at = line.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? line[(at + marker.Length)..] : line;
    }

    /// <summary>Collapses a multi-line loader message into one line.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
