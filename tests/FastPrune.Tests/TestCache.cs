using System.Runtime.CompilerServices;

namespace FastPrune.Tests;

/// <summary>
/// Keeps the tests' latency runs off the user's layer-timing cache (<c>~/.cache/fastprune</c>): the test process gets its
/// own cache folder under the temporary folder, removed when the process ends. A test that looks into the cache sets its
/// own (process-wide, so it finds other tests' files there too and picks its table's by key).
/// </summary>
internal static class TestCache
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before any test in this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"fastprune-tests-cache-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (DirectoryNotFoundException) { }
            catch (IOException) { }
        };
    }
}
