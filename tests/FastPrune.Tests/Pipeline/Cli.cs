using System.Security.Cryptography;
using FastPrune.Tests.Cli;

namespace FastPrune.Tests.Pipeline;

/// <summary>The pipeline tests' view of <see cref="CliRun"/>, and file hashes to show a command wrote nothing.</summary>
internal static class Cli
{
    public static CliResult Run(CancellationToken cancel, params string[] args) => CliRun.Run(cancel, args);

    public static CliResult Run(params string[] args) => CliRun.Run(args);

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
