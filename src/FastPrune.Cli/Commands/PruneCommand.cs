using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using FastPrune.Graph;
using FastPrune.Graph.Pruning;

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
        var output = new Option<string>("--output", "-o") { Description = "where to write the pruned model", Required = true };
        var select = new Option<SelectionMethod>("--select") { Description = "which units to keep: random (the paper's) or l1", DefaultValueFactory = _ => SelectionMethod.Random };
        var seed = new Option<int>("--seed") { Description = "seed of random selection", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print {\"macs\", \"params\", \"out\"} as one JSON object" };
        var cmd = new Command("prune", "Apply a genome to a model and write the smaller model.") { model, genome, output, select, seed, json };
        cmd.SetAction(pr => io.Guard(pr, () => Run(io, pr.GetValue(model)!, pr.GetValue(genome)!, pr.GetValue(output)!,
            pr.GetValue(select), pr.GetValue(seed), pr.GetValue(json))));
        return cmd;
    }

    private static int Run(CliIo io, string modelPath, string genomeText, string outPath, SelectionMethod select, int seed, bool json)
    {
        var sw = Stopwatch.StartNew();
        var model = OnnxModel.Load(modelPath);
        var structure = PrunableStructure.Analyze(model);
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
}
