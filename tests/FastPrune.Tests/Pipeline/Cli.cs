using System.Security.Cryptography;
using FastPrune.Tests.Cli;

namespace FastPrune.Tests.Pipeline;

/// <summary>File hashes to show a command wrote nothing (the pipeline tests run the CLI through <see cref="CliRun"/>).</summary>
internal static class Cli
{
    /// <summary>SHA-256 of every file under <paramref name="paths"/> (files or folders), by full path.</summary>
    public static Dictionary<string, string> Hashes(params string[] paths)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in paths)
        {
            var files = Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories) : File.Exists(p) ? [p] : [];
            foreach (var f in files)
            {
                using var s = File.OpenRead(f);
                d[f] = Convert.ToHexString(SHA256.HashData(s));
            }
        }
        return d;
    }
}
