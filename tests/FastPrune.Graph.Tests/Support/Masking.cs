using System.Runtime.InteropServices;
using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;
using Google.Protobuf;

namespace FastPrune.Graph.Tests.Support;

/// <summary>
/// The numeric reference for a pruned model: the unpruned graph with every coupled weight, bias and
/// per-channel constant of the removed units set to zero. Removed units then contribute exactly nothing
/// (a zeroed conv channel gives 0, ReLU/GELU(0) = 0, consumers' input rows are 0; a zeroed head gives
/// q = k = v = 0 and a zero head output), so the masked graph computes what the pruned graph does, up to
/// float summation order, while keeping every original shape and shape constant.
/// </summary>
internal static class Masking
{
    public static ModelProto Apply(PrunableStructure s, IReadOnlyList<int[]> kept)
    {
        var proto = s.Model.Proto.Clone();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < proto.Graph.Initializer.Count; i++) byName[proto.Graph.Initializer[i].Name] = i;
        var zeroed = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int g = 0; g < kept.Count; g++)
        {
            int max = s.Genes[g].Max;
            if (kept[g].Length == max) continue;
            var removed = Enumerable.Range(0, max).Except(kept[g]).ToArray();
            int root = s.GeneSpace[g];
            var space = s.Roots[root];
            foreach (var u in s.UsagesByRoot[root])
            {
                var t = proto.Graph.Initializer[byName[u.Initializer]];
                if (!zeroed.TryGetValue(t.Name, out var data))
                    zeroed[t.Name] = data = TensorData.Floats(t).ToArray();
                long inner = 1;
                for (int d = u.Axis + 1; d < t.Dims.Count; d++) inner *= t.Dims[d];
                long axisLen = t.Dims[u.Axis], outer = data.Length / (axisLen * inner);
                foreach (var idx in PrunableStructure.Expand(u, space, removed))
                    for (long o = 0; o < outer; o++)
                        data.AsSpan((int)((o * axisLen + idx) * inner), (int)inner).Clear();
            }
        }
        foreach (var (name, data) in zeroed)
            proto.Graph.Initializer[byName[name]].RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        return proto;
    }
}
