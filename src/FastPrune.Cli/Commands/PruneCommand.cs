using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;

namespace FastPrune.Cli.Commands;

/// <summary><c>fastprune prune MODEL --genome G -o OUT [--select random|l1] [--seed N] [--json]</c>.</summary>
internal static class PruneCommand
{
    public static Command Create(CliIo io)
    {
        var model = CliIo.ModelArgument();
        var genome = new Option<string>("--genome", "-g")
        {
            Description = "'max', a keep-ratio such as 0.5 for every gene, or a comma list of counts in gene order",
            Required = true,
        };
        var output = CliIo.OutputOption("where to write the pruned model (not the input model itself)");
        var select = new Option<SelectionMethod>("--select") { Description = "which units to keep: random (the paper's) or l1", DefaultValueFactory = _ => SelectionMethod.Random };
        var seed = CliIo.SeedOption("seed of random selection and of the data split");
        var json = new Option<bool>("--json") { Description = "print {\"macs\", \"params\", \"out\"} as one JSON object" };
        var foldBn = new Option<bool>("--fold-bn") { Description = "fold BatchNormalization into the preceding conv first" };
        var data = new DataOptions();
        var cmd = new Command("prune", "Apply a genome to a model and write the smaller model; with --data, reconstruct its weights first.")
            { model, genome, output, select, seed, json, foldBn };
        data.AddTo(cmd);
        cmd.SetAction(pr => io.Guard(pr, () => pr.GetValue(data.Data) is null
            ? Run(io, pr.GetValue(model)!, pr.GetValue(genome)!, pr.GetValue(output)!, pr.GetValue(select), pr.GetValue(seed), pr.GetValue(json), pr.GetValue(foldBn),
                InputShapeOption.Parse(pr, data.InputShape))
            : RunWithData(io, data.Build(pr, pr.GetValue(model)!, pr.GetValue(select), pr.GetValue(seed)) with { FoldBatchNorm = pr.GetValue(foldBn) }, pr.GetValue(genome)!,
                pr.GetValue(output)!, pr.GetValue(json))));
        return cmd;
    }

    private static int Run(CliIo io, string modelPath, string genomeText, string outPath, SelectionMethod select, int seed, bool json, bool foldBn,
        IReadOnlyList<InputShape> shapes)
    {
        CheckOutput(outPath, modelPath);
        var sw = Stopwatch.StartNew();
        var model = ModelLoader.Load(modelPath, shapes);
        // Counted on the loaded model, so that a shape too large to count (a dimension of 2^62) is reported with its file.
        _ = ModelCost.Compute(model);
        if (foldBn) model = BatchNormFolding.Apply(model);
        var structure = PrunableStructure.Analyze(model);
        // What prune writes must be usable by eval and run, which feed one image input.
        ModelInputs.Fed(structure.Index, modelPath);
        var genome = Genome.Parse(genomeText, structure.Genes);
        double tLoad = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var kept = ChannelSelection.Select(structure, genome, select, seed);
        var pruned = Surgery.Apply(structure, kept);
        double tSurgery = sw.Elapsed.TotalSeconds;
        var cost = ModelCost.Compute(pruned);
        pruned.Save(outPath);
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(new
            {
                macs = cost.Macs,
                @params = cost.Params,
                @out = outPath,
                genome,
                t_load_s = tLoad,
                t_surgery_s = tSurgery,
            }, JsonOptions.Compact));
        }
        else
        {
            var original = ModelCost.Compute(structure.Model);
            io.Out.WriteLine($"wrote {outPath}: MACs {cost.Macs:N0} ({100.0 * cost.Macs / original.Macs:F1}% of {original.Macs:N0}), params {cost.Params:N0}");
        }
        return ExitCodes.Ok;
    }

    private static int RunWithData(CliIo io, PruneOptions options, string genomeText, string outPath, bool json)
    {
        CheckOutput(outPath, options.ModelPath);
        using var session = PruningSession.Open(options, null, io.Cancel);
        foreach (var w in session.Warnings) io.Err.WriteLine($"fastprune: note: {w}");
        var genome = Genome.Parse(genomeText, session.Structure.Genes);
        var r = session.Evaluate(genome, options.Recon, keepModel: true, io.Cancel);
        r.Model!.Save(outPath);
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(new
            {
                macs = r.Macs,
                @params = r.Params,
                @out = outPath,
                genome,
                recon = options.Recon.ToString().ToLowerInvariant(),
                accuracy = r.Accuracy,
                unpruned_accuracy = session.BaselineAccuracy,
                agreement_only = session.AgreementOnly,
                t_surgery_s = r.Times.Surgery,
                t_recon_s = r.Times.Recon,
                t_session_s = r.Times.Session,
                t_infer_s = r.Times.Infer,
                recon_device = session.ReconDevice,
            }, JsonOptions.Compact));
        }
        else
        {
            io.Out.WriteLine($"wrote {outPath}: MACs {r.Macs:N0} ({100.0 * r.Macs / session.OriginalCost.Macs:F1}%), params {r.Params:N0}, " +
                $"accuracy {r.Accuracy:P2} (unpruned {session.BaselineAccuracy:P2}{(session.AgreementOnly ? ", agreement" : "")}), recon {options.Recon.ToString().ToLowerInvariant()} on {session.ReconDevice}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Fails before any work when the output cannot or must not be written: its folder is missing, it is the input
    /// model itself (by any path: <c>a/../a/m.onnx</c>, a hard link; same device and inode), or it exists and is not a
    /// regular file (the atomic rename would replace a device node such as /dev/full by a file).
    /// </summary>
    internal static void CheckOutput(string path, string inputModel)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"{path}: folder '{dir}' does not exist");
        if (FileStatus.SameFile(path, inputModel))
            throw new UsageException($"-o {path}: is the input model {inputModel}; write the pruned model to another file");
        AtomicFile.ThrowIfNotReplaceable(path);
    }
}
