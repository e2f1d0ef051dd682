using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using FastPrune.Kernels;

namespace FastPrune.Pipeline;

/// <summary>Writes a least-squares solution (W: inputs × outputs, bias row last) into a layer's weight and bias initializers.</summary>
internal static class WeightWriter
{
    /// <summary>Writes <paramref name="r"/> for <paramref name="to"/>: the whole layer, or one group's block of output rows.</summary>
    public static void Write(GraphProto graph, Dictionary<string, int> initIndex, LayerSolve to, LstsqResult r)
    {
        if (to.Group < 0)
        {
            Write(graph, initIndex, to.Plan, r, to.Cin, to.Cout);
            return;
        }
        //   grouped conv weight [groups·cout_g][cin_g·kh·kw]: group g's rows g·cout_g.. hold its block's Wᵀ; bias likewise
        var plan = to.Plan;
        int cols = to.Cin * plan.Area, cout = to.Cout;
        if (r.Rhs != cout || r.Size != cols + (plan.HasBias ? 1 : 0))
            throw new InvalidOperationException($"solution {r.Size}×{r.Rhs} does not fit group {to.Group} of layer {plan.Layer.Name} ({cols}+bias × {cout})");
        var old = graph.Initializer[initIndex[plan.Layer.Weight]];
        var data = TensorData.Floats(old).ToArray();
        var block = data.AsSpan(checked(to.Group * cout * cols), cout * cols);
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cols; c++)
                block[o * cols + c] = r.Weights[(long)c * cout + o];
        graph.Initializer[initIndex[plan.Layer.Weight]] = TensorData.FromFloats(old.Name, old.Dims.ToArray(), data);
        if (plan.HasBias)
        {
            var b = graph.Initializer[initIndex[plan.Layer.Bias!]];
            var bias = TensorData.Floats(b).ToArray();
            r.Weights.AsSpan(cols * cout, cout).CopyTo(bias.AsSpan(to.Group * cout, cout));
            graph.Initializer[initIndex[plan.Layer.Bias!]] = TensorData.FromFloats(b.Name, b.Dims.ToArray(), bias);
        }
    }

    public static void Write(GraphProto graph, Dictionary<string, int> initIndex, LayerPlan plan, LstsqResult r, int cin, int cout)
    {
        int cols = cin * plan.Area;
        if (r.Rhs != cout || r.Size != cols + (plan.HasBias ? 1 : 0))
            throw new InvalidOperationException($"solution {r.Size}×{r.Rhs} does not fit layer {plan.Layer.Name} ({cols}+bias × {cout})");
        var w = r.Weights;
        var old = graph.Initializer[initIndex[plan.Layer.Weight]];
        //   conv weight [cout][cin·kh·kw] and Gemm(transB) [cout][cin] are Wᵀ; MatMul / Gemm [cin][cout] are W;
        //   a ConvTranspose's [cin][cout][kh][kw] is written by its plan (taps flipped)
        float[] data;
        if (plan.Transposed)
        {
            data = plan.TransposedWeight(w, cin, cout);
        }
        else if (plan.IsConv || plan.OutAxis == 0)
        {
            data = new float[(long)cols * cout];
            for (int o = 0; o < cout; o++)
                for (int c = 0; c < cols; c++)
                    data[(long)o * cols + c] = w[(long)c * cout + o];
        }
        else
        {
            data = w.AsSpan(0, cols * cout).ToArray();
        }
        graph.Initializer[initIndex[plan.Layer.Weight]] = TensorData.FromFloats(old.Name, old.Dims.ToArray(), data);
        if (plan.HasBias)
        {
            var b = graph.Initializer[initIndex[plan.Layer.Bias!]];
            var bias = w.AsSpan(cols * cout, cout).ToArray();
            graph.Initializer[initIndex[plan.Layer.Bias!]] = TensorData.FromFloats(b.Name, b.Dims.ToArray(), bias);
        }
    }

    public static Dictionary<string, int> Index(GraphProto graph)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Initializer.Count; i++) d[graph.Initializer[i].Name] = i;
        return d;
    }
}
