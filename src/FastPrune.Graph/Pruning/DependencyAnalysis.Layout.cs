using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

internal sealed partial class DependencyAnalysis
{
    private void Flatten(NodeProto n) => ReshapeTags(n, n.Input[0], n.Output[0]);

    private void Reshape(NodeProto n)
    {
        if (n.Input.Count > 1) _shapeInputs.Add((_node, 1));
        ReshapeTags(n, n.Input[0], n.Output[0]);
    }

    /// <summary>
    /// Matches input and output dims into minimal groups of equal product, e.g.
    /// <c>[B, N, 2304] → [B, N, 3, 12, 64]</c> gives {B}→{B}, {N}→{N}, {2304}→{3, 12, 64}.
    /// A tag moves with a one-to-one group; a channel axis split into (3,) heads × dim becomes
    /// head-structured; heads × dim merged back gives channels again; channels merged with the
    /// spatial dims after them (Flatten) repeat each channel.
    /// </summary>
    private void ReshapeTags(NodeProto n, string input, string output)
    {
        var t = Tags(input);
        if (t is null) return;
        var inS = Shape(input);
        var outS = Shape(output);
        var groups = inS is null || outS is null ? null : DimGroups.Match(inS, outS);
        if (groups is null)
        {
            Freeze(t, $"{n.OpType} whose dims cannot be matched");
            return;
        }
        var outTags = new AxisTag?[outS!.Length];
        var inDims = inS!;
        foreach (var (i0, i1, j0, j1) in groups)
        {
            var tagged = Enumerable.Range(i0, i1 - i0).Where(i => t[i] is not null).ToList();
            if (tagged.Count == 0) continue;
            if (i1 - i0 == 1 && j1 - j0 == 1) { outTags[j0] = t[i0]; continue; }
            var first = t[tagged[0]]!;
            if (i1 - i0 == 1 && IsWholeRun(first) && (j1 - j0 == 2 || (j1 - j0 == 3 && first.Kind == TagKind.Channel))
                && outS!.Skip(j0).Take(j1 - j0).All(d => d.IsKnown))
            {
                SplitHeads(first, outS, j0, j1, outTags);
                continue;
            }
            if (i1 - i0 == 2 && j1 - j0 == 1 && t[i0] is { Kind: TagKind.Heads or TagKind.BatchHeads } h && t[i0 + 1] is { Kind: TagKind.HeadDim } d && Root(h.Space) == Root(d.Space))
            {
                var sp = SpaceOf(h.Space);
                outTags[j0] = AxisTag.Channel(h.Space, sp.Heads * sp.HeadDim);
                continue;
            }
            if (BatchHeadsReshape(t, inDims, outS!, (i0, i1, j0, j1), outTags)) continue;
            if (j1 - j0 == 1 && tagged.Count == 1 && tagged[0] == i0 && first.Kind == TagKind.Channel
                && inDims.Skip(i0 + 1).Take(i1 - i0 - 1).All(x => x.IsKnown))
            {
                long inner = inDims.Skip(i0 + 1).Take(i1 - i0 - 1).Aggregate(1L, (p, x) => p * x.Value);
                outTags[j0] = first with { Segments = first.Segments!.Select(s => s with { Inner = s.Inner * inner }).ToArray() };
                continue;
            }
            Freeze(tagged.Select(i => t[i]), $"{n.OpType} reshapes channels in an unsupported way");
        }
        Set(output, outTags);
    }

    /// <summary>A whole single-space channel run, or one chunk of a space (q, k or v of a fused in-projection).</summary>
    private static bool IsWholeRun(AxisTag tag) =>
        tag.Kind == TagKind.Block || tag is { Kind: TagKind.Channel, Segments: [{ Inner: 1 }] };

    private static int RunSpace(AxisTag tag) => tag.Kind == TagKind.Block ? tag.Space : tag.Segments![0].Space;

    /// <summary>
    /// torch's nn.MultiheadAttention keeps the batch beside the heads: <c>[L, N, E] → [L, N·H, hd]</c> splits the
    /// channels into heads merged with the batch, and <c>[L, N·H, hd] → [L·N, E]</c> merges them back. Both are
    /// matched here (dims compared symbolically, so a dynamic batch works).
    /// </summary>
    private bool BatchHeadsReshape(AxisTag?[] t, Dim[] inS, Dim[] outS, (int I0, int I1, int J0, int J1) g, AxisTag?[] outTags)
    {
        var (i0, i1, j0, j1) = g;
        if (i1 - i0 == 2 && j1 - j0 == 2 && t[i0] is null && t[i0 + 1] is { } c && IsWholeRun(c)
            && inS[i0 + 1].IsKnown && outS[j0 + 1].IsKnown && outS[j0 + 1].Value > 0 && inS[i0 + 1].Value % outS[j0 + 1].Value == 0)
        {
            long dim = outS[j0 + 1].Value, heads = inS[i0 + 1].Value / dim;
            if (outS[j0] != inS[i0] * Dim.Of(heads) || inS[i0].IsUnknown) return false;
            if (!SetHeads(RunSpace(c), heads, dim)) return true;
            outTags[j0] = new AxisTag(TagKind.BatchHeads, RunSpace(c), null);
            outTags[j0 + 1] = new AxisTag(TagKind.HeadDim, RunSpace(c), null);
            return true;
        }
        if (i1 - i0 == 3 && j1 - j0 == 2 && t[i0] is null && t[i0 + 1] is { Kind: TagKind.BatchHeads } h && t[i0 + 2] is { Kind: TagKind.HeadDim } d
            && Root(h.Space) == Root(d.Space) && outS[j0 + 1].IsKnown)
        {
            var sp = SpaceOf(h.Space);
            if (outS[j0 + 1].Value != sp.Heads * sp.HeadDim) return false;
            outTags[j0 + 1] = AxisTag.Channel(h.Space, sp.Heads * sp.HeadDim);
            return true;
        }
        return false;
    }

    /// <summary>Gives a space its head structure; false (and frozen) when it already has another.</summary>
    private bool SetHeads(int space, long heads, long dim)
    {
        var sp = SpaceOf(space);
        if (sp.IsHeads && (sp.Heads != heads || sp.HeadDim != dim || sp.Grouped))
        {
            sp.FrozenReason ??= $"split into heads two different ways (at node '{_g.NodeName(_node)}')";
            return false;
        }
        sp.Heads = heads;
        sp.HeadDim = dim;
        return true;
    }

    private void SplitHeads(AxisTag channel, Dim[] outS, int j0, int j1, AxisTag?[] outTags)
    {
        int s = RunSpace(channel);
        bool fused = j1 - j0 == 3;
        if (!SetHeads(s, outS[j1 - 2].Value, outS[j1 - 1].Value)) return;
        if (fused) outTags[j0] = new AxisTag(TagKind.Qkv, s, null);
        outTags[j1 - 2] = new AxisTag(TagKind.Heads, s, null);
        outTags[j1 - 1] = new AxisTag(TagKind.HeadDim, s, null);
    }

    private void Transpose(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        var perm = Attr.Ints(n, "perm") ?? Enumerable.Range(0, t.Length).Reverse().Select(i => (long)i).ToArray();
        Set(n.Output[0], perm.Select(p => t[p]).ToArray());
    }

    private void Concat(NodeProto n)
    {
        int rank = Rank(n.Output[0]);
        if (rank < 0) { FreezeInputs(n, "Concat of unknown rank"); return; }
        int axis = NormAxis(Attr.Int(n, "axis", 0), rank);
        var outTags = new AxisTag?[rank];
        var segments = new List<Segment>();
        bool channelAxis = n.Input.Any(i => Tags(i)?[axis] is not null);
        foreach (var input in n.Input)
        {
            var t = Tags(input);
            for (int i = 0; i < rank; i++)
            {
                var ti = t?[i];
                if (i == axis)
                {
                    if (!channelAxis) continue;
                    if (ti is { Kind: TagKind.Channel }) segments.AddRange(ti.Segments!);
                    else { FreezeInputs(n, "Concat of channels with something else"); return; }
                    continue;
                }
                if (ti is null)
                {
                    // only a mix is unsupported: another input carrying a tag on this axis
                    if (n.Input.Any(o => Tags(o)?[i] is not null))
                    {
                        FreezeInputs(n, "Concat joins tagged and untagged tensors");
                        return;
                    }
                    continue;
                }
                if (outTags[i] is null) outTags[i] = ti;
                else Join(outTags[i]!, ti);
            }
        }
        if (channelAxis) outTags[axis] = new AxisTag(TagKind.Channel, -1, segments.ToArray());
        Set(n.Output[0], outTags);
    }

    private void Gather(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int axis = NormAxis(Attr.Int(n, "axis", 0), t.Length);
        int idxRank = Rank(n.Input[1]);
        if (t[axis] is { } tag)
        {
            if (tag.Kind == TagKind.Qkv && idxRank == 0) { } // q, k or v out of a fused projection
            else { Freeze(t, "Gather over channels"); return; }
        }
        if (idxRank < 0) { Freeze(t, "Gather with indices of unknown rank"); return; }
        Set(n.Output[0], t.Take(axis).Concat(new AxisTag?[idxRank]).Concat(t.Skip(axis + 1)).ToArray());
    }

    private void SqueezeLike(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int outRank = Rank(n.Output[0]);
        long[]? axes = Attr.Ints(n, "axes");
        if (axes is null && n.Input.Count > 1 && _shapes.TryGetValue(n.Input[1], out var ai) && ai.Values is { } v && v.All(d => d.IsKnown))
            axes = v.Select(d => d.Value).ToArray();
        if (axes is null || outRank < 0) { Freeze(t, $"{n.OpType} with axes computed at run time"); return; }
        var outTags = new AxisTag?[outRank];
        if (n.OpType == "Squeeze")
        {
            var drop = axes.Select(a => NormAxis(a, t.Length)).ToHashSet();
            if (drop.Any(a => t[a] is not null)) { Freeze(t, "Squeeze of a tagged axis"); return; }
            outTags = t.Where((_, i) => !drop.Contains(i)).ToArray();
        }
        else
        {
            var insert = axes.Select(a => NormAxis(a, outRank)).ToHashSet();
            for (int i = 0, j = 0; i < outRank; i++)
                outTags[i] = insert.Contains(i) ? null : t[j++];
        }
        Set(n.Output[0], outTags);
    }

    private void Expand(NodeProto n)
    {
        var t = Tags(n.Input[0]);
        if (t is null) return;
        int outRank = Rank(n.Output[0]);
        if (outRank < t.Length) { Freeze(t, "Expand of unknown rank"); return; }
        Set(n.Output[0], new AxisTag?[outRank - t.Length].Concat(t).ToArray());
    }
}
