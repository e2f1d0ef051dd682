using System.CommandLine;
using System.Text.Json;

namespace FastPrune.Cli.Commands;

/// <summary><c>fastprune prune MODEL --genome G -o OUT [--round N] [--select random|l1] [--seed N] [--json]</c>.</summary>
internal static class PruneCommand
{
    public static Command Create(CliIo io)
    {
        var defaults = new WorkspaceOptions();
        var model = CliIo.ModelArgument();
        var genome = new Option<string>("--genome", "-g")
        {
            Description = "'max', a keep-ratio such as 0.5 for every gene, or a comma list of counts in gene order",
            Required = true,
        };
        var round = CliIo.AtLeast(new Option<int>("--round")
        {
            Description = "a keep-ratio's widths rounded to multiples of N (1: every count); given, counts off that grid are refused, " +
                "otherwise counts are taken as given",
            DefaultValueFactory = _ => Pruner.DefaultKeepRatioRound,
        }, 1, "widths are rounded to multiples of 1 (no rounding) or more");
        var output = CliIo.OutputOption("where to write the pruned model (not the input model itself)");
        var select = CliIo.Choice(new Option<SelectionRule>("--select")
        {
            Description = "which units to keep: random (the paper's) or l1",
            DefaultValueFactory = _ => defaults.Select,
        });
        var seed = CliIo.SeedOption("seed of random selection and of the data split");
        var json = new Option<bool>("--json") { Description = "print {\"macs\", \"params\", \"out\"} as one JSON object" };
        var foldBn = new Option<bool>("--fold-bn") { Description = "fold BatchNormalization into the preceding conv first" };
        var data = new DataOptions(defaults.Recon, "reconstruction of the pruned weights (with --data)");
        var cmd = new Command("prune", "Apply a genome to a model and write the smaller model; with --data, reconstruct its weights first.")
            { model, genome, round, output, select, seed, json, foldBn };
        data.AddTo(cmd);
        cmd.SetAction(pr => io.Guard(pr, () =>
        {
            var options = data.Build(pr, pr.GetValue(model)!, pr.GetValue(select), pr.GetValue(seed)) with { FoldBatchNorm = pr.GetValue(foldBn) };
            // Only a given --round holds given counts to its grid; the default shapes keep-ratios alone.
            int? grid = pr.Tokens.Any(t => t.Value == "--round") ? pr.GetValue(round) : null;
            var r = Pruner.Prune(options, pr.GetValue(genome)!, pr.GetValue(output)!, null, io.Cancel, grid);
            foreach (var w in r.Warnings) io.Err.WriteLine($"fastprune: note: {w}");
            if (pr.GetValue(json)) io.Out.WriteLine(Json(r));
            else if (r.Accuracy is not { } accuracy)
                io.Out.WriteLine($"wrote {r.OutputPath}: MACs {r.Macs:N0} ({Share(r.Macs, r.OriginalMacs)} of {r.OriginalMacs:N0}), params {r.Params:N0}");
            else
                io.Out.WriteLine($"wrote {r.OutputPath}: MACs {r.Macs:N0} ({Share(r.Macs, r.OriginalMacs)}), params {r.Params:N0}, " +
                    $"accuracy {accuracy:P2} (unpruned {r.BaselineAccuracy:P2}{(r.AgreementOnly ? ", agreement" : "")}), recon {Names.Of(r.Recon)} on {r.ReconDevice}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    // A model without MAC-counted layers (only element-wise ops) has no share to print: "NaN%" would read as a fault.
    private static string Share(long macs, long original) =>
        original > 0 ? (100.0 * macs / original).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%" : "no MACs";

    private static string Json(PruneReport r) => r.Accuracy is null
        ? JsonSerializer.Serialize(new
        {
            macs = r.Macs,
            @params = r.Params,
            @out = r.OutputPath,
            genome = r.Genome,
            t_load_s = r.LoadSeconds,
            t_surgery_s = r.SurgerySeconds,
        }, JsonOptions.Compact)
        : JsonSerializer.Serialize(new
        {
            macs = r.Macs,
            @params = r.Params,
            @out = r.OutputPath,
            genome = r.Genome,
            recon = Names.Of(r.Recon),
            accuracy = r.Accuracy,
            unpruned_accuracy = r.BaselineAccuracy,
            agreement_only = r.AgreementOnly,
            t_surgery_s = r.SurgerySeconds,
            t_recon_s = r.ReconSeconds,
            t_session_s = r.SessionSeconds,
            t_infer_s = r.InferSeconds,
            recon_device = r.ReconDevice,
        }, JsonOptions.Compact);
}
