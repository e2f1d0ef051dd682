using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using Xunit;

namespace FastPrune.Graph.Tests.Zoo;

/// <summary>
/// Test-side multiply-accumulate count of Conv, Gemm and MatMul from shapes ONNX Runtime actually
/// produced: the model is run with every operand and result of those ops added as a graph output,
/// so no shape inference of our own is trusted. Every op's MACs are numel(Y) · K, where K is the
/// reduction length (Cin/group·kh·kw for Conv, the inner dim for Gemm and MatMul); ConvTranspose's
/// are numel(X) · (C_out/group)·kh·kw.
/// </summary>
internal static class MacCounter
{
    private static readonly HashSet<string> Counted = ["Conv", "ConvTranspose", "Gemm", "MatMul"];

    /// <summary>Total MACs of the model run on <paramref name="input"/>.</summary>
    public static long Count(ModelProto model, float[] input, long[] inputShape, out Dictionary<string, OrtRun.Result> graphOutputs)
    {
        var inits = model.Graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray(), StringComparer.Ordinal);
        var probes = new List<string>();
        foreach (var node in model.Graph.Node.Where(n => Counted.Contains(n.OpType)))
        {
            foreach (string t in node.Input.Take(2).Append(node.Output[0]))
            {
                if (!inits.ContainsKey(t) && !probes.Contains(t))
                {
                    probes.Add(t);
                }
            }
        }

        var probed = model.Clone();
        var existing = probed.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (string p in probes.Where(p => !existing.Contains(p)))
        {
            probed.Graph.Output.Add(GraphBuilder.MakeValueInfo(p, ElemType.Float));
        }

        var all = OrtRun.Run(probed, input, inputShape, probed.Graph.Output.Select(o => o.Name).ToList());
        graphOutputs = model.Graph.Output.ToDictionary(o => o.Name, o => all[o.Name]);

        long[] ShapeOf(string name) => inits.TryGetValue(name, out var d) ? d : all[name].Shape;

        long total = 0;
        foreach (var node in model.Graph.Node.Where(n => Counted.Contains(n.OpType)))
        {
            long outCount = ShapeOf(node.Output[0]).Aggregate(1L, (a, d) => a * d);
            long[] a = ShapeOf(node.Input[0]);
            long[] b = ShapeOf(node.Input[1]);
            if (node.OpType == "ConvTranspose")
            {
                // each input element meets its group's C_out/g · Π(kernel) weights once
                total += a.Aggregate(1L, (x, d) => x * d) * b.Skip(1).Aggregate(1L, (x, d) => x * d);
                continue;
            }

            long k = node.OpType switch
            {
                "Conv" => b.Skip(1).Aggregate(1L, (x, d) => x * d),
                "Gemm" => node.Attribute.Any(t => t.Name == "transA" && t.I == 1) ? a[0] : a[1],
                _ => a[^1],
            };
            total += outCount * k;
        }

        return total;
    }
}
