using System.Text.RegularExpressions;

namespace FastPrune.Search;

/// <summary>
/// What a <see cref="LatencyTable"/>'s entries were timed on: an entry is only valid for the same engine, batch,
/// threads, runtime version and machine, so a table file whose key differs from the one asked for is not used.
/// </summary>
/// <param name="Engine">Engine name (<see cref="Runtime.InferenceEngineNames.ToName"/>).</param>
/// <param name="Batch">Images per timed run.</param>
/// <param name="Threads">Intra-op threads (0: the engine's choice).</param>
/// <param name="Machine">The CPU model and the logical core count (<see cref="ThisMachine"/>).</param>
/// <param name="Runtime">The ONNX Runtime version: kernels change between releases.</param>
/// <param name="Probe">How entries are timed and a network's sum is made: <see cref="LatencyProbe.Kind"/> and the
/// engine's channel block whose layout reorders the sum counts (<see cref="Runtime.OrtNchwcBlock"/>), e.g.
/// <c>kernel nchwc16</c>, <c>wall plain</c>; null in tables of FastPrune before it did either, whose entries and fits
/// mean something else.</param>
internal sealed partial record LatencyTableKey(string Engine, int Batch, int Threads, string Machine, string Runtime, string? Probe)
{
    /// <summary>The key of a table timed here now on <paramref name="engine"/>, whose channel block is <paramref name="block"/>.</summary>
    public static LatencyTableKey Here(FastPrune.Runtime.InferenceEngine engine, int batch, int threads, int block) =>
        new(FastPrune.Runtime.InferenceEngineNames.ToName(engine), batch, threads, ThisMachine(),
            typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "?",
            LatencyProbe.Kind(engine) + (block == 0 ? " plain" : " nchwc" + block.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The CPU model (Linux: /proc/cpuinfo's "model name"; elsewhere the architecture) and the logical core count.</summary>
    public static string ThisMachine()
    {
        string cpu = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo") && ModelName().Match(File.ReadAllText("/proc/cpuinfo")) is { Success: true } m)
                cpu = m.Groups[1].Value.Trim();
        }
        catch (IOException)
        {
            // An unreadable cpuinfo leaves the architecture: the key is still exact about the core count.
        }
        return $"{cpu} × {Environment.ProcessorCount}";
    }

    /// <summary>A file name for the key in a shared cache folder (engine, batch, threads readable; the rest hashed).</summary>
    public string FileName()
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Machine}|{Runtime}|{Probe}"));
        return $"latency-{Engine}-b{Batch}-t{Threads}-{Convert.ToHexString(hash, 0, 6).ToLowerInvariant()}.json";
    }

    [GeneratedRegex(@"^model name\s*:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ModelName();
}
