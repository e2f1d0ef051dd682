using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

/// <summary>
/// Rewrites the Slices and Splits that cut a pruned space into equal chunks (q, k, v of torch's fused
/// in-projection) for the new chunk length. Bounds computed at run time by a shape chain become constants,
/// like Reshape targets (see <see cref="ReshapeRewriter"/>), so the pruned graph never depends on a chain's
/// arithmetic staying right for the new sizes.
/// </summary>
internal static class ChunkRewriter
{
    //   A run of Length channels in Blocks equal chunks; chunk b of the pruned run is
    //     [b·n, (b+1)·n)  with  n = NewLength / Blocks
    //   (every chunk keeps the same heads, so the pruned chunks stay equal).
    public static void Rewrite(PrunableStructure s, GraphProto graph, Dictionary<int, int[]> keptByRoot, HashSet<string> newNames, List<string> replaced)
    {
        foreach (var c in s.Chunks)
        {
            int root = s.RootOf(c.Space);
            if (!keptByRoot.ContainsKey(root)) continue;
            var node = graph.Node[c.Node];
            long chunk = ReshapeRewriter.NewLength(s, new Segment(c.Space, c.Length, 1), keptByRoot) / c.Blocks;
            if (node.OpType == "Split")
            {
                var sizes = Enumerable.Repeat(chunk, c.Blocks).ToArray();
                if (node.Attribute.FirstOrDefault(a => a.Name == "split") is { } attr)
                {
                    attr.Ints.Clear();
                    attr.Ints.Add(sizes);
                }
                else if (node.Input.Count > 1 && node.Input[1].Length > 0)
                {
                    ReshapeRewriter.Replace(graph, node, 1, sizes, $"_pruned_{c.Node}", newNames, replaced);
                }
                continue; // an equal split without sizes needs nothing
            }
            if (node.Input.Count == 1)
            {
                // opset < 10: bounds are attributes
                node.Attribute.First(a => a.Name == "starts").Ints[c.Position] = c.Block * chunk;
                node.Attribute.First(a => a.Name == "ends").Ints[c.Position] = (c.Block + 1) * chunk;
                continue;
            }
            var starts = Values(s, node.Input[1]);
            var ends = Values(s, node.Input[2]);
            starts[c.Position] = c.Block * chunk;
            ends[c.Position] = (c.Block + 1) * chunk;
            ReshapeRewriter.Replace(graph, node, 1, starts, $"_pruned_{c.Node}", newNames, replaced);
            ReshapeRewriter.Replace(graph, node, 2, ends, $"_pruned_{c.Node}", newNames, replaced);
        }
    }

    // The analysis only records a chunk whose bounds shape inference knew, so the values are there.
    private static long[] Values(PrunableStructure s, string tensor) => s.Shapes[tensor].Values!.Select(d => d.Value).ToArray();
}
