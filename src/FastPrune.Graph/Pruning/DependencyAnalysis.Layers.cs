using System.Diagnostics.CodeAnalysis;
using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Pruning;

internal sealed partial class DependencyAnalysis
{
    /// <summary>A Conv-like node's weight and optional bias as initializers, and its input's shape; when any of them is
    /// computed at run time (or unknown) the node's inputs freeze and the rule stops.</summary>
    private bool ConstantWeights(NodeProto n, [NotNullWhen(true)] out TensorProto? w, out TensorProto? b, [NotNullWhen(true)] out Dim[]? xShape)
    {
        w = _g.Initializer(n.Input[1]);
        bool hasBias = n.Input.Count > 2 && n.Input[2].Length > 0;
        b = hasBias ? _g.Initializer(n.Input[2]) : null;
        xShape = Shape(n.Input[0]);
        if (w is not null && w.Dims.Count >= 3 && xShape is not null && (!hasBias || b is not null))
            return true;
        FreezeInputs(n, $"{n.OpType} with weights computed at run time");
        return false;
    }

    /// <summary>Conv: input channels are consumed (weight axis 1), output channels open a new space (weight axis 0, bias).
    /// A depthwise conv (groups = input channels) passes its input's space through instead.</summary>
    private void Conv(NodeProto n)
    {
        var inTags = Tags(n.Input[0]);
        long group = Attr.Int(n, "group", 1);
        if (!ConstantWeights(n, out var w, out var b, out var xShape))
            return;
        long cin = w.Dims[1] * group, cout = w.Dims[0];
        var rank = xShape.Length;
        var inTag = inTags?[1];
        if (inTags is not null && inTags.Where((t, i) => i != 1 && t is not null).Any())
            Freeze(inTags, "Conv over a tagged spatial axis");
        AddLayer(n, "Conv", n.Input[1], b?.Name, n.Input[0], n.Output[0]);
        if (group == 1)
        {
            if (inTag is { Kind: TagKind.Channel }) Use(w.Name, 1, inTag, true);
            else if (inTag is not null) Freeze([inTag], "Conv over heads");
            var s = NewSpace(cout, linear: false);
            var tag = AxisTag.Channel(s, cout);
            Use(w.Name, 0, tag, true);
            if (b is not null) Use(b.Name, 0, tag, false);
            Set(n.Output[0], OneTag(rank, 1, tag));
        }
        else if (group == cin && w.Dims[1] == 1 && cout == cin && inTag is { Kind: TagKind.Channel, Segments.Length: 1 })
        {
            // depthwise: one filter per input channel, so the filters follow the input's space
            _groupedConvs[_node] = 1;
            Use(w.Name, 0, inTag, true);
            if (b is not null) Use(b.Name, 0, inTag, false);
            Set(n.Output[0], OneTag(rank, 1, inTag));
        }
        else if (GroupedConv(n, group, cin, cout, inTag))
        {
            // grouped (ResNeXt, RegNet): whole groups are the units, so output group i, which reads only
            // input group i, lives and dies with it; channels per group and the weight's axis 1 stay as they are
            _groupedConvs[_node] = cout / group;
            Use(w.Name, 0, inTag!, true);
            if (b is not null) Use(b.Name, 0, inTag!, false);
            Set(n.Output[0], OneTag(rank, 1, inTag!));
        }
        else
        {
            if (inTag is not null) Freeze([inTag], $"grouped Conv with {group} groups (in {cin}, out {cout} channels) over {DescribeGroupedInput(inTag)}");
            if (group == cin && w.Dims[1] == 1 && cout == cin) return; // depthwise over an unprunable input
            var s = NewSpace(cout, linear: false);
            SpaceOf(s).FrozenReason = inTag is null
                ? $"output of a grouped Conv with {group} groups over an input no gene prunes (at node '{_g.NodeName(_node)}')"
                : $"output of a grouped Conv with {group} groups (at node '{_g.NodeName(_node)}')";
        }
    }

    /// <summary>
    /// Makes the input's space group-structured (units = groups of <c>cin / group</c> channels) when a grouped conv
    /// with as many outputs as inputs reads one whole space; false when the structure does not allow it.
    /// </summary>
    private bool GroupedConv(NodeProto n, long group, long cin, long cout, AxisTag? inTag)
    {
        if (group <= 1 || cout != cin || cin % group != 0 || inTag is not { Kind: TagKind.Channel, Segments: [{ Inner: 1 } seg] } || seg.Length != cin)
            return false;
        var sp = SpaceOf(seg.Space);
        long per = cin / group;
        if (sp.IsHeads)
        {
            if (sp.Grouped && sp.Heads == group && sp.HeadDim == per) return true;
            sp.FrozenReason ??= $"channels grouped two different ways (at node '{_g.NodeName(_node)}')";
            return false;
        }
        if (sp.Channels != cin) return false;
        (sp.Heads, sp.HeadDim, sp.Grouped) = (group, per, true);
        return true;
    }

    private static string DescribeGroupedInput(AxisTag tag) => tag switch
    {
        { Kind: not TagKind.Channel } => "attention heads",
        { Segments.Length: > 1 } => "concatenated channels",
        _ => "channels it cannot split into whole groups",
    };

    /// <summary>Gemm with a constant B: input features consumed, output features open a space.</summary>
    private void Gemm(NodeProto n)
    {
        var inTags = Tags(n.Input[0]);
        var w = _g.Initializer(n.Input[1]);
        var c = n.Input.Count > 2 && n.Input[2].Length > 0 ? _g.Initializer(n.Input[2]) : null;
        bool transA = Attr.Int(n, "transA", 0) != 0, transB = Attr.Int(n, "transB", 0) != 0;
        if (w is null || w.Dims.Count != 2 || transA || (n.Input.Count > 2 && n.Input[2].Length > 0 && c is null))
        {
            FreezeInputs(n, "Gemm with weights computed at run time or a transposed input");
            return;
        }
        AddLayer(n, "Gemm", w.Name, c?.Name, n.Input[0], n.Output[0]);
        var inTag = inTags?[1];
        if (inTags?[0] is not null) Freeze(inTags, "Gemm over a tagged batch axis");
        if (inTag is { Kind: TagKind.Channel }) Use(w.Name, transB ? 1 : 0, inTag, true);
        else if (inTag is not null) Freeze([inTag], "Gemm over heads");
        long cout = w.Dims[transB ? 0 : 1];
        var s = NewSpace(cout, linear: true);
        var tag = AxisTag.Channel(s, cout);
        Use(w.Name, transB ? 0 : 1, tag, true);
        if (c is not null && c.Dims.Count >= 1 && c.Dims[^1] == cout) Use(c.Name, c.Dims.Count - 1, tag, false);
        else if (c is not null && TensorData.ElementCount(c.Dims) != 1) SpaceOf(s).FrozenReason = "Gemm bias of an unsupported shape";
        Set(n.Output[0], OneTag(2, 1, tag));
    }

    /// <summary>MatMul: with a constant 2-D right operand it is a linear layer (the bias is the Add that follows);
    /// between two activations it is attention, where head axes of both operands must match.</summary>
    private void MatMul(NodeProto n)
    {
        var w = _g.Initializer(n.Input[1]);
        if (w is not null && w.Dims.Count == 2)
        {
            LinearMatMul(n, w);
            return;
        }
        var a = Tags(n.Input[0]);
        var b = Tags(n.Input[1]);
        int ra = Rank(n.Input[0]), rb = Rank(n.Input[1]), ro = Rank(n.Output[0]);
        if (!AnyTag(a) && !AnyTag(b)) return;
        if (ra < 2 || rb < 2 || ro < 2)
        {
            FreezeInputs(n, "MatMul of vectors");
            return;
        }
        var outTags = new AxisTag?[ro];
        // contracted axes: a's last and b's second to last; they may only carry a head's dims
        var ka = a?[ra - 1];
        var kb = b?[rb - 2];
        if (ka is not null && ka.Kind != TagKind.HeadDim) Freeze([ka], "MatMul contracts channels of an activation");
        if (kb is not null && kb.Kind != TagKind.HeadDim) Freeze([kb], "MatMul contracts channels of an activation");
        if (ka is not null && kb is not null && ka.Kind == TagKind.HeadDim && kb.Kind == TagKind.HeadDim) Union(ka.Space, kb.Space, "attention q·kᵀ");
        // batch axes broadcast: head axes on both sides are the same heads
        for (int i = 0; i < ro - 2; i++)
        {
            var ta = i - (ro - ra) >= 0 ? a?[i - (ro - ra)] : null;
            var tb = i - (ro - rb) >= 0 ? b?[i - (ro - rb)] : null;
            if (ta is not null && tb is not null)
            {
                if (ta.Kind == tb.Kind && ta.Kind is TagKind.Heads or TagKind.BatchHeads) Union(ta.Space, tb.Space, "attention heads");
                else Freeze([ta, tb], "MatMul batch axes carry channels");
            }
            outTags[i] = ta ?? tb;
        }
        outTags[ro - 2] = a?[ra - 2];
        outTags[ro - 1] = b?[rb - 1];
        Set(n.Output[0], outTags);
    }

    private void LinearMatMul(NodeProto n, TensorProto w)
    {
        var inTags = Tags(n.Input[0]);
        int rank = Rank(n.Input[0]);
        if (rank < 1)
        {
            FreezeInputs(n, "MatMul input of unknown rank");
            return;
        }
        var inTag = inTags?[rank - 1];
        if (inTags is not null && inTags.Take(rank - 1).Any(t => t is not null))
            Freeze(inTags.Take(rank - 1), "linear layer over a tagged axis");
        if (inTag is { Kind: TagKind.Channel }) Use(w.Name, 0, inTag, true);
        else if (inTag is not null) Freeze([inTag], "linear layer over heads");
        long cout = w.Dims[1];
        var s = NewSpace(cout, linear: true);
        var tag = AxisTag.Channel(s, cout);
        Use(w.Name, 1, tag, true);
        // torch exports Linear on 3-D input as MatMul + Add(bias): that Add is the bias of this layer
        string output = n.Output[0];
        string? bias = null;
        var consumers = _g.Consumers(output);
        if (consumers.Count == 1 && _g.Node(consumers[0]) is { OpType: "Add" } add && !_g.Outputs.Contains(output))
        {
            var other = add.Input[0] == output ? add.Input[1] : add.Input[0];
            if (_g.Initializer(other) is { } bt && bt.Dims.Count == 1 && bt.Dims[0] == cout)
            {
                bias = bt.Name;
                output = add.Output[0];
            }
        }
        AddLayer(n, "MatMul", w.Name, bias, n.Input[0], output);
        Set(n.Output[0], OneTag(Rank(n.Output[0]), Rank(n.Output[0]) - 1, tag));
    }

    private static AxisTag?[] OneTag(int rank, int axis, AxisTag tag)
    {
        var t = new AxisTag?[rank];
        t[axis] = tag;
        return t;
    }

    private void AddLayer(NodeProto n, string op, string weight, string? bias, string input, string output) =>
        _layers.Add(new PrunableLayer(_node, _g.NodeName(_node), op, weight, bias, input, output));
}
