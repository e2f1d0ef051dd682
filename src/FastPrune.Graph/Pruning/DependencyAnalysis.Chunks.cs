using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

internal sealed partial class DependencyAnalysis
{
    private readonly List<ChunkOp> _chunks = [];

    /// <summary>
    /// Slice: untagged axes (tokens, the class token) may be cut freely; a tagged axis may be taken whole, or
    /// as one of several equal chunks of a single space (q, k or v out of torch's fused in-projection), which
    /// becomes a <see cref="TagKind.Block"/> that only a split into heads may consume.
    /// </summary>
    private void Slice(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        var xs = Shape(n.Input[0]);
        bool attrs = n.Input.Count == 1; // opset < 10: bounds are attributes
        long[]? starts = attrs ? Attr.Ints(n, "starts") : KnownInts(n, 1);
        long[]? ends = attrs ? Attr.Ints(n, "ends") : KnownInts(n, 2);
        long[]? axes = attrs ? Attr.Ints(n, "axes") : n.Input.Count > 3 && n.Input[3].Length > 0 ? KnownInts(n, 3) : null;
        long[]? steps = !attrs && n.Input.Count > 4 && n.Input[4].Length > 0 ? KnownInts(n, 4) : null;
        if (xs is null || starts is null || ends is null || (!attrs && n.Input.Count > 3 && n.Input[3].Length > 0 && axes is null)
            || (!attrs && n.Input.Count > 4 && n.Input[4].Length > 0 && steps is null))
        {
            Freeze(t, "Slice with bounds computed at run time");
            return;
        }
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        var outTags = (AxisTag?[])t.Clone();
        for (int i = 0; i < starts.Length && i < axes.Length && i < ends.Length; i++)
        {
            int a = NormAxis(axes[i], t.Length);
            if (a < 0 || a >= t.Length || t[a] is not { } tag) continue;
            long step = steps?[i] ?? 1;
            if (!xs[a].IsKnown || step != 1)
            {
                Freeze(t, "Slice of channels with a step");
                return;
            }
            long len = xs[a].Value;
            long st = Math.Clamp(starts[i] < 0 ? starts[i] + len : starts[i], 0, len);
            long en = Math.Clamp(ends[i] < 0 ? ends[i] + len : ends[i], 0, len);
            if (st == 0 && en == len) continue; // the whole axis: channels pass through
            if (tag is not { Kind: TagKind.Channel, Segments: [{ Inner: 1 } seg] } || seg.Length != len || en <= st
                || len % (en - st) != 0 || st % (en - st) != 0)
            {
                Freeze(t, "Slice of part of the channels");
                return;
            }
            long chunk = en - st;
            _chunks.Add(new ChunkOp(_node, seg.Space, len, (int)(st / chunk), (int)(len / chunk), i));
            outTags[a] = new AxisTag(TagKind.Block, seg.Space, null);
        }
        Set(n.Output[0], outTags);
    }

    /// <summary>Split into equal parts along a single space's channels: each output is one <see cref="TagKind.Block"/>.</summary>
    private void Split(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int axis = NormAxis(Attr.Int(n, "axis", 0), t.Length);
        if (axis < 0 || axis >= t.Length || t[axis] is not { } tag)
        {
            foreach (var o in n.Output) Set(o, t); // a split along untagged axes keeps every tag
            return;
        }
        long[]? sizes = Attr.Ints(n, "split") ?? (n.Input.Count > 1 && n.Input[1].Length > 0 ? KnownInts(n, 1) : null);
        int parts = n.Output.Count;
        var xs = Shape(n.Input[0]);
        if (tag is not { Kind: TagKind.Channel, Segments: [{ Inner: 1 } seg] } || xs is null || !xs[axis].IsKnown || seg.Length != xs[axis].Value
            || seg.Length % parts != 0 || (sizes is not null && sizes.Any(x => x != seg.Length / parts))
            || (sizes is null && n.Input.Count > 1 && n.Input[1].Length > 0))
        {
            Freeze(t, "Split of channels into unequal parts or across spaces");
            return;
        }
        _chunks.Add(new ChunkOp(_node, seg.Space, seg.Length, -1, parts, -1));
        foreach (var o in n.Output)
        {
            var outTags = (AxisTag?[])t.Clone();
            outTags[axis] = new AxisTag(TagKind.Block, seg.Space, null);
            Set(o, outTags);
        }
    }

    /// <summary>Chunks only make sense as q, k and v of heads: a chunked space that no Reshape split into heads is frozen.</summary>
    private void CheckChunks()
    {
        foreach (var c in _chunks)
        {
            var sp = SpaceOf(c.Space);
            if (!sp.IsHeads || sp.Grouped || sp.Channels != c.Length || c.Length % (c.Blocks * sp.Heads * sp.HeadDim) != 0)
                sp.FrozenReason ??= $"chunks of its channels are not split into heads (at node '{_g.NodeName(c.Node)}')";
        }
    }

    /// <summary>The values of a node's input when shape inference knows them all (constants, shape chains).</summary>
    private long[]? KnownInts(NodeProto n, int input) =>
        n.Input.Count > input && _shapes.TryGetValue(n.Input[input], out var info) && info.Values is { } v && v.All(d => d.IsKnown)
            ? v.Select(d => d.Value).ToArray()
            : null;
}
