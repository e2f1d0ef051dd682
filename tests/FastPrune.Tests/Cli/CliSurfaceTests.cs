using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using FastPrune.Cli;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Cli;

/// <summary>
/// The command line is thin over the library's public API: it references none of the layers below the library, and
/// every default its help shows is the library's, which the README's table states.
/// </summary>
public sealed partial class CliSurfaceTests
{
    private static readonly string[] Forbidden = ["FastPrune.Graph", "FastPrune.Kernels", "FastPrune.TensorRT", "FastPrune.Evo", "Microsoft.ML.OnnxRuntime"];

    private static string RepoRoot => Path.GetDirectoryName(Path.GetDirectoryName(SampleFiles.ResNet))!;

    [Fact]
    public void CliAssembly_References_NoLayerBelowTheLibrary()
    {
        // Any use of a Graph, Kernels, TensorRT, Evo or ONNX Runtime type (even through the library's signatures) puts
        // its assembly into the CLI's references.
        var refs = typeof(CliApp).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("FastPrune", refs);
        foreach (var name in Forbidden) Assert.DoesNotContain(name, refs);
    }

    [Fact]
    public void CliSources_Name_NoNamespaceBelowTheLibrary()
    {
        var sources = Directory.GetFiles(Path.Combine(RepoRoot, "src", "FastPrune.Cli"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.True(sources.Count >= 10, $"only {sources.Count} CLI sources found");
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (var ns in Forbidden) Assert.False(text.Contains(ns, StringComparison.Ordinal), $"{file} names {ns}");
        }
    }

    [Fact]
    public void Library_GrantsInternals_NotToTheCli()
    {
        // The CLI sees the library only as an embedding application does: through its public members.
        var friends = typeof(Pruner).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName).ToList();
        Assert.Contains("FastPrune.Tests", friends);
        Assert.DoesNotContain("FastPrune.Cli", friends);
    }

    [Fact]
    public void ReadmeDefaults_Equal_CommandLineAndLibraryDefaults()
    {
        var root = CliApp.Root(new CliIo(TextWriter.Null, TextWriter.Null, default));
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md"));
        var table = readme[readme.IndexOf("### Defaults", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n### ", 4, StringComparison.Ordinal)];
        int rows = 0;
        foreach (Match m in DefaultRow().Matches(table))
        {
            string flag = m.Groups["flag"].Value, commands = m.Groups["cmds"].Value, value = m.Groups["value"].Value, rest = m.Groups["rest"].Value;
            foreach (var name in commands.Split('(')[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // "prune (with --data)" and "run (the written models)": the command is the first word.
                var cmd = root.Subcommands.Single(c => c.Name == name);
                var option = cmd.Options.SingleOrDefault(o => o.Name == flag);
                Assert.True(option is not null, $"{name} has no {flag}");
                Assert.True(option!.HasDefaultValue, $"{name} {flag} shows no default");
                Assert.Equal(value, Text(option.GetDefaultValue()));
                rows++;
            }
            // The bundled sample's own defaults, which run takes without a model.
            if (SampleDefault().Match(rest) is { Success: true } sample)
            {
                int expected = flag == "--budget" ? BundledSample.Budget : BundledSample.Images;
                Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), sample.Groups[1].Value);
                Assert.Equal(expected, flag == "--budget" ? BundledSample.Search().Budget : BundledSample.Search().Workspace.Eval);
            }
        }
        Assert.True(rows >= 30, $"only {rows} (command, flag) pairs in the README's table");
        // The library's records are where the values come from.
        Assert.Equal(new WorkspaceOptions().Recon.ToString().ToLowerInvariant(), Text(root.Subcommands.Single(c => c.Name == "prune").Options.Single(o => o.Name == "--recon").GetDefaultValue()));
        Assert.Equal(SearchSettings.DefaultFinalRecon.ToString().ToLowerInvariant(), Text(root.Subcommands.Single(c => c.Name == "run").Options.Single(o => o.Name == "--recon").GetDefaultValue()));
    }

    [Theory]
    [InlineData("prune", "--select", "L1")]
    [InlineData("prune", "--recon", "Corrective")]
    [InlineData("run", "--recon", "Exact")]
    [InlineData("run", "--budget", "1564")]
    [InlineData("run", "--calib", "1500")]
    [InlineData("bench", "--batch", "128")]
    public void Help_Shows_TheLibraryDefault(string command, string flag, string shown)
    {
        var r = CliRun.Run(command, "--help");
        Assert.Equal(ExitCodes.Ok, r.Code);
        // The option's entry runs from its line to the next option's (help wraps long descriptions).
        var lines = r.Out.Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith('-') && l.Trim().Split(' ', ',').Contains(flag));
        Assert.True(start >= 0, $"{command} --help lists no {flag}");
        int end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith('-'));
        var entry = string.Join(' ', lines[start..(end < 0 ? lines.Length : end)].Select(l => l.Trim()));
        Assert.Contains($"[default: {shown}]", entry, StringComparison.Ordinal);
    }

    private static string Text(object? v) => v switch
    {
        Enum e => e.ToString().ToLowerInvariant(),
        double d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v?.ToString() ?? "null",
    };

    [GeneratedRegex(@"^\| `(?<flag>--[a-z-]+)` \| (?<cmds>[^|]+) \| `(?<value>[^`]+)`(?<rest>[^|]*)\|", RegexOptions.Multiline)]
    private static partial Regex DefaultRow();

    [GeneratedRegex(@"without a model: `(\d+)`")]
    private static partial Regex SampleDefault();
}
