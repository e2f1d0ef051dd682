using System.Security.Cryptography;
using FastPrune.Cli;

namespace FastPrune.Tests.Pipeline;

/// <summary>Runs the fastprune CLI in-process and captures what it prints.</summary>
internal static class Cli
{
    public sealed record Result(int Code, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {Code}\nstdout: {Out}\nstderr: {Err}";
    }

    public static Result Run(CancellationToken cancel, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, cancel);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    public static Result Run(params string[] args) => Run(CancellationToken.None, args);

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
