// Embeds FastPrune: open a trained model (the bundled sample), search with a small budget, write the pruned model
// for one MACs target and print its measured speedup over the original.
//   dotnet run --project examples/SearchAndWrite [OUT_DIR] [BUDGET] [IMAGES]
using System.Globalization;
using FastPrune;
using FastPrune.Runtime;
using FastPrune.Search;

string outDir = args.Length > 0 ? args[0] : $"search-and-write-{DateTime.Now:yyyyMMdd-HHmmss}";
int budget = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 24;
int images = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

// The sample's settings with a smaller search: fewer calibration and evaluation images, one target at half the MACs.
var sample = BundledSample.Search();
var settings = sample with
{
    Workspace = sample.Workspace with { Calib = images, Eval = images, Seed = 1 },
    OutDir = outDir,
    Budget = budget,
    Targets = [0.5],
    Bench = false, // measured below, against the original
};

try
{
    // Reported on the search's own thread, in order (System.Progress<T> would post each message to the thread pool in a
    // console application, so lines could arrive out of order or after the search returned).
    var progress = new ConsoleProgress();
    RunResult run = Pruner.Search(settings, progress, cancel.Token);
    WrittenModel model = run.Models.Single();

    // Both models timed in alternation on ONNX Runtime's CPU provider, so machine drift favours neither.
    var bench = Pruner.Benchmark([settings.Workspace.ModelPath, model.Path],
        new BenchSettings { Engine = InferenceEngine.OrtCpu, Batch = 64, Warmup = 3, Iterations = 10 }, cancel.Token);
    double speedup = bench.Models[1].ImagesPerSecond / bench.Models[0].ImagesPerSecond;

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"wrote {model.Path}: {model.Macs:N0} MACs, accuracy {model.FinalAccuracy:P2} (unpruned {run.BaselineAccuracy:P2}), " +
        $"test {model.TestAccuracy:P2}, speedup {speedup:F2}x on {bench.Engine.ToName()}"));
    return 0;
}
catch (FastPruneException e)
{
    // One line naming the file and the cause; the kind is the fastprune command's exit code for it.
    Console.Error.WriteLine($"search-and-write: {e.Message}");
    return (int)e.Kind;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine($"search-and-write: interrupted; the history so far is in {outDir}");
    return 130;
}

/// <summary>Prints each progress report as it is made.</summary>
sealed class ConsoleProgress : IProgress<RunProgress>
{
    public void Report(RunProgress p) => Console.Error.WriteLine(p.Message ?? $"{p.Evaluated}/{p.Budget} subnets");
}
