using FastPrune.Graph.Building;
using FastPrune.Graph.Tests.Zoo;
using Xunit;

namespace FastPrune.Graph.Tests.Building;

/// <summary>A hand-built graph must compute what it says: ONNX Runtime against a float64 reference.</summary>
public sealed class BuiltGraphOrtTests
{
    [Fact]
    public void Build_GemmReluReshape_MatchesFloat64Reference()
    {
        const int Batch = 5, In = 6, Out = 4;
        var rng = new Random(21);
        float[] w = Enumerable.Range(0, Out * In).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] bias = Enumerable.Range(0, Out).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        float[] x = OrtRun.RandomInput(Batch * In, seed: 22);

        var b = new GraphBuilder("g", opset: 13);
        string input = b.Input("input", ElemType.Float, "batch", In);
        string y = b.Node("Gemm", [input, b.Initializer("w", [Out, In], w), b.Initializer("b", [Out], bias)], [Attrs.Int("transB", 1)]);
        y = b.Node("Relu", [y]);
        y = b.Node("Reshape", [y, b.ConstantInt64([-1, 2, 2])], output: "out");
        b.Output(y, ElemType.Float, "batch", 2, 2);

        var result = OrtRun.Run(b.Build(), x, [Batch, In])["out"];

        Assert.Equal([(long)Batch, 2L, 2L], result.Shape);
        var reference = new double[Batch * Out];
        for (int n = 0; n < Batch; n++)
        {
            for (int o = 0; o < Out; o++)
            {
                double s = bias[o];
                for (int i = 0; i < In; i++)
                {
                    s += (double)x[(n * In) + i] * w[(o * In) + i];
                }

                reference[(n * Out) + o] = Math.Max(s, 0);
            }
        }

        double diff = 0, norm = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            diff += Math.Pow(result.Data[i] - reference[i], 2);
            norm += reference[i] * reference[i];
        }

        Assert.Equal(reference.Length, result.Data.Length);
        Assert.True(norm > 0);
        Assert.True(Math.Sqrt(diff / norm) < 1e-6, $"relative error {Math.Sqrt(diff / norm)}");
    }
}
