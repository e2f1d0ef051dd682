using System.CommandLine;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune zoo NAME -o FILE [--seed N] [--opset N] [--static]</c>: writes a reference network
/// (<see cref="Pruner.WriteZooModel"/>) with seeded random weights, so users can benchmark without shipping weights.
/// </summary>
internal static class ZooCommand
{
    public static Command Create(CliIo io)
    {
        var name = new Argument<string>("name") { Description = $"one of: {string.Join(", ", Pruner.ZooNames)}" };
        var output = CliIo.OutputOption("where to write the model");
        var seed = new Option<ulong>("--seed") { Description = "seed of the random weights", DefaultValueFactory = _ => 0UL };
        var (min, max, dflt) = Pruner.ZooOpsets;
        var opset = new Option<int?>("--opset") { Description = $"opset {min}..{max} (default {dflt})" };
        var isStatic = new Option<bool>("--static") { Description = "batch fixed to 1 and constant Reshape targets instead of the dynamic 'batch' dim" };
        var cmd = new Command("zoo", "Write a reference network (ResNet50, MobileNetV1, DeiT, ...) with seeded random weights.")
        {
            name, output, seed, opset, isStatic,
        };
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            io.Cancel.ThrowIfCancellationRequested();
            var r = Pruner.WriteZooModel(pr.GetValue(name)!, pr.GetValue(output)!, pr.GetValue(seed), pr.GetValue(opset), pr.GetValue(isStatic));
            io.Out.WriteLine($"wrote {r.Path}: {r.Name}, opset {r.Opset}, MACs {r.Macs:N0} at batch 1, params {r.Params:N0}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
