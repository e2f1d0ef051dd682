using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FastPrune.Tests.Data;
using FastPrune.Tests.Pipeline;
using Xunit;

namespace FastPrune.Tests.Api;

/// <summary>The examples/SearchAndWrite console project, built with the tests, run as a user runs it.</summary>
public sealed partial class ExampleProjectTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task SearchAndWrite_SmallBudget_WritesModelAtHalfTheMacsAndPrintsItsSpeedup()
    {
        using var tmp = new TempDir();
        var outDir = tmp.File("run");
        // The example's build output sits beside the tests' (same configuration and framework).
        var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = Path.GetDirectoryName(Path.GetDirectoryName(SampleFiles.ResNet))!;
        var dll = Path.Combine(root, "examples", "SearchAndWrite", "bin", config, "net10.0", "SearchAndWrite.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built ({config})");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = tmp.Path };
        foreach (var a in new[] { dll, outDir, "8", "200" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(limit.Token);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await stderr}");

        // One model for the one target, its MACs as printed, at most half of the original's, and the history of 8 subnets.
        var written = Path.Combine(outDir, "pruned-0.50.onnx");
        Assert.True(File.Exists(written));
        var m = Line().Match(stdout);
        Assert.True(m.Success, stdout);
        Assert.Equal(written, m.Groups["path"].Value);
        long macs = long.Parse(m.Groups["macs"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(Pruner.Inspect(written).Macs, macs);
        Assert.True(macs <= 0.5 * Pruner.Inspect(SampleFiles.ResNet).Macs, $"{macs} MACs is above the target");
        Assert.True(double.Parse(m.Groups["speedup"].Value, CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1 + 8, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);
    }

    [GeneratedRegex(@"^wrote (?<path>\S+): (?<macs>[\d,]+) MACs, accuracy .*, speedup (?<speedup>[\d.]+)x on ort-cpu$", RegexOptions.Multiline)]
    private static partial Regex Line();
}
