using System.CommandLine;
using FastPrune.Graph;
using FastPrune.Graph.Zoo;

namespace FastPrune.Cli.Commands;

/// <summary>
/// <c>fastprune zoo NAME -o FILE [--seed N] [--opset N] [--static]</c>: writes a reference network
/// (<see cref="ZooModels"/>) with seeded random weights, so users can benchmark without shipping weights.
/// </summary>
internal static class ZooCommand
{
    public static Command Create(CliIo io)
    {
        var name = new Argument<string>("name") { Description = $"one of: {string.Join(", ", ZooModels.Names)}" };
        var output = CliIo.OutputOption("where to write the model");
        var seed = new Option<ulong>("--seed") { Description = "seed of the random weights", DefaultValueFactory = _ => 0UL };
        var opset = new Option<int?>("--opset") { Description = $"opset {ZooOptions.MinOpset}..{ZooOptions.MaxOpset} (default 13)" };
        var isStatic = new Option<bool>("--static") { Description = "batch fixed to 1 and constant Reshape targets instead of the dynamic 'batch' dim" };
        var cmd = new Command("zoo", "Write a reference network (ResNet50, MobileNetV1, DeiT, ...) with seeded random weights.")
        {
            name, output, seed, opset, isStatic,
        };
        cmd.SetAction(pr => io.Guard(pr, () => Run(io, pr.GetValue(name)!, pr.GetValue(output)!, pr.GetValue(seed),
            pr.GetValue(opset), pr.GetValue(isStatic))));
        return cmd;
    }

    private static int Run(CliIo io, string name, string outPath, ulong seed, int? opset, bool isStatic)
    {
        // Usage errors are found before anything is built: DeiT-Base takes seconds and 350 MB.
        if (!ZooModels.Names.Contains(name, StringComparer.Ordinal))
            throw new UsageException($"unknown zoo model '{name}'; known: {string.Join(", ", ZooModels.Names)}");
        if (opset is { } o && o is < ZooOptions.MinOpset or > ZooOptions.MaxOpset)
            throw new UsageException($"--opset {o} is outside {ZooOptions.MinOpset}..{ZooOptions.MaxOpset}");
        ZooOptions? options = null;
        if (name == "legacy_cnn")
        {
            if (opset is not null || isStatic)
                throw new UsageException("legacy_cnn is fixed at opset 9 and batch 1; --opset and --static do not apply");
        }
        else
        {
            options = new ZooOptions { Opset = opset ?? ZooOptions.Default.Opset, StaticBatch = isStatic };
        }
        io.Cancel.ThrowIfCancellationRequested();
        // Validated like any loaded model, then written atomically (temp file in the folder, renamed).
        var model = OnnxModel.FromProto(ZooModels.Build(name, seed, options), outPath);
        model.Save(outPath);
        var cost = ModelCost.Compute(model);
        io.Out.WriteLine($"wrote {outPath}: {name}, opset {model.Opset}, MACs {cost.Macs:N0} at batch 1, params {cost.Params:N0}");
        return ExitCodes.Ok;
    }
}
