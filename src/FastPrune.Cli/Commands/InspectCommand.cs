using System.CommandLine;
using System.Text.Json;

namespace FastPrune.Cli.Commands;

/// <summary><c>fastprune inspect MODEL [--json]</c>: opset, inputs and outputs, MACs, params, op counts.</summary>
internal static class InspectCommand
{
    public static Command Create(CliIo io)
    {
        var model = CliIo.ModelArgument();
        var json = new Option<bool>("--json") { Description = "one JSON object on stdout" };
        var shapes = InputShapeOption.Create();
        var cmd = new Command("inspect", "Show a model's inputs, outputs, MACs at batch 1, parameters and ops.") { model, json, shapes };
        cmd.SetAction(pr => io.Guard(pr, () => Print(io, Pruner.Inspect(pr.GetValue(model)!, pr.GetValue(shapes) ?? []), pr.GetValue(json))));
        return cmd;
    }

    private static int Print(CliIo io, ModelReport s, bool json)
    {
        if (json)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = s.Path,
                opset = s.Opset,
                ir_version = s.IrVersion,
                producer = s.Producer,
                inputs = s.Inputs.Select(Tensor),
                outputs = s.Outputs.Select(Tensor),
                macs = s.Macs,
                @params = s.Params,
                nodes = s.Nodes,
                ops = s.OpCounts,
                genes = s.Genes.Select(g => new { name = g.Name, kind = g.Kind, min = g.Min, max = g.Max, step = g.Step }),
                frozen = s.Frozen,
                prunable_macs_fraction = s.PrunableMacsFraction,
            }, JsonOptions.Compact));
            return ExitCodes.Ok;
        }
        var o = io.Out;
        o.WriteLine($"model     {s.Path}");
        o.WriteLine($"opset     {s.Opset} (IR {s.IrVersion}{(s.Producer.Length > 0 ? $", {s.Producer}" : "")})");
        foreach (var i in s.Inputs) o.WriteLine($"input     {i.Name} {i.Type} [{Shape(i)}]");
        foreach (var i in s.Outputs) o.WriteLine($"output    {i.Name} {i.Type} [{Shape(i)}]");
        o.WriteLine($"MACs      {s.Macs:N0} at batch 1");
        o.WriteLine($"params    {s.Params:N0}");
        o.WriteLine($"nodes     {s.Nodes}: {string.Join(", ", s.OpCounts.Select(kv => $"{kv.Key} {kv.Value}"))}");
        o.WriteLine($"genes     {s.Genes.Count}");
        for (int i = 0; i < s.Genes.Count; i++)
        {
            var g = s.Genes[i];
            o.WriteLine($"  {i + 1,3}  {g.Kind,-8} {g.Min,4}..{g.Max,-5} step {g.Step}  {g.Name}");
        }
        foreach (var f in s.Frozen) o.WriteLine($"  frozen   {f}");
        o.WriteLine($"prunable  {s.PrunableMacsFraction:P1} of the MACs lie in layers a gene can shrink");
        return ExitCodes.Ok;
    }

    private static object Tensor(TensorReport t) => new { name = t.Name, type = t.Type, shape = t.Shape };

    private static string Shape(TensorReport t) => t.Shape is null ? "?" : string.Join(", ", t.Shape);
}
