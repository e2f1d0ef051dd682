using System.CommandLine;
using System.Text.Json;
using FastPrune.Pipeline;

namespace FastPrune.Cli.Commands;

/// <summary><c>fastprune eval MODEL --data D [--labels L] [--eval N] [--json]</c>: top-1 accuracy with ONNX Runtime.</summary>
internal static class EvalCommand
{
    public static Command Create(CliIo io)
    {
        var model = CliIo.ModelArgument();
        var data = new DataOptions(ReconMode.None, "unused by eval");
        var seed = CliIo.SeedOption("seed of the evaluation split");
        var json = new Option<bool>("--json") { Description = "print {\"accuracy\", \"n\", \"img_per_s\"}" };
        var cmd = new Command("eval", "Top-1 accuracy of a model on labelled data.") { model, seed, json };
        data.AddTo(cmd, forEval: true); // eval calibrates nothing: no --calib, no --recon
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var options = data.Build(pr, pr.GetValue(model)!, SelectionRule.L1, pr.GetValue(seed));
            if (options.DataPath is null) throw new UsageException("--data is required");
            var result = Pruner.Evaluate(options, io.Cancel);
            foreach (var w in result.Warnings) io.Err.WriteLine($"fastprune: note: {w}");
            if (pr.GetValue(json))
                io.Out.WriteLine(JsonSerializer.Serialize(new { accuracy = result.Accuracy, n = result.Count, img_per_s = result.ImagesPerSecond }, JsonOptions.Compact));
            else
                io.Out.WriteLine($"top-1 {result.Accuracy:P2} on {result.Count} images ({result.ImagesPerSecond:F0} img/s)");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
