using System.Security.Cryptography;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary>The assertions and text helpers that tests of the command line share.</summary>
internal static class CliAssert
{
    /// <summary>Asserts a failure with <paramref name="code"/> as the project promises it: nothing on stdout, exactly one
    /// line on stderr, starting with <c>fastprune: </c> and containing <paramref name="file"/> (ordinal) and
    /// <paramref name="problem"/> (ignoring case), no stack trace and no "internal error". Returns the line.</summary>
    public static string OneLineError(CliResult r, int code, string file = "", string problem = "")
    {
        Assert.True(r.Code == code, r.ToString());
        Assert.Equal("", r.Out);
        var line = Assert.Single(Lines(r.Err));
        Assert.StartsWith("fastprune: ", line, StringComparison.Ordinal);
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", line, StringComparison.Ordinal);
        return line;
    }

    /// <summary>Lines of <paramref name="text"/>, without empty ones.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>SHA-256 of every file under <paramref name="paths"/> (files or folders), by full path: compared before
    /// and after a command, it shows the command wrote nothing.</summary>
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
