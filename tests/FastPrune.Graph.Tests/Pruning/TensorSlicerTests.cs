using FastPrune.Graph.Onnx;
using FastPrune.Graph.Pruning;

namespace FastPrune.Graph.Tests.Pruning;

/// <summary>TensorSlicer against element-by-element indexing on random data.</summary>
public sealed class TensorSlicerTests
{
    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 0, 1 })]
    [InlineData(new[] { 2, 0 })]
    [InlineData(new[] { 0, 1, 2, 3 })]
    public void Slice_AxesOfA4DTensor_MatchesElementwiseGather(int[] axes)
    {
        long[] dims = [5, 4, 3, 2];
        var rng = new Random(71 + axes.Sum());
        var data = Enumerable.Range(0, 120).Select(_ => (float)(rng.NextDouble() + 0.5)).ToArray();
        var t = TensorData.FromFloats("w", dims, data);
        var picks = dims.Select(d => (long[]?)null).ToArray();
        foreach (var a in axes)
            picks[a] = Enumerable.Range(0, (int)dims[a]).Where(_ => rng.Next(2) == 0).DefaultIfEmpty((int)dims[a] - 1).Select(i => (long)i).ToArray();

        var sliced = TensorSlicer.Slice(t, axes.Select(a => (a, picks[a]!)).ToList());

        var outDims = dims.Select((d, a) => picks[a]?.LongLength ?? d).ToArray();
        Assert.Equal(outDims, sliced.Dims);
        var got = TensorData.Floats(sliced).ToArray();
        Assert.Equal(outDims.Aggregate(1L, (p, d) => p * d), got.Length);
        int k = 0;
        for (long i0 = 0; i0 < outDims[0]; i0++)
            for (long i1 = 0; i1 < outDims[1]; i1++)
                for (long i2 = 0; i2 < outDims[2]; i2++)
                    for (long i3 = 0; i3 < outDims[3]; i3++)
                    {
                        long Src(int a, long i) => picks[a]?[i] ?? i;
                        long flat = ((Src(0, i0) * 4 + Src(1, i1)) * 3 + Src(2, i2)) * 2 + Src(3, i3);
                        Assert.Equal(data[flat], got[k++]);
                    }
    }

    [Fact]
    public void Slice_IndexOutsideAxis_Throws()
    {
        var t = TensorData.FromFloats("w", [2, 3], new float[6]);
        Assert.Throws<ModelFormatException>(() => TensorSlicer.Slice(t, [(1, [0L, 3])]));
        Assert.Throws<ModelFormatException>(() => TensorSlicer.Slice(t, [(2, [0L])]));
    }

    [Fact]
    public void Slice_Int64TypedField_SlicesBytes()
    {
        var t = new TensorProto { Name = "s", DataType = ElementType.Int64 };
        t.Dims.Add(4);
        t.Int64Data.Add([10, 20, 30, 40]);
        Assert.Equal([20L, 40], TensorData.Integers(TensorSlicer.Slice(t, [(0, [1L, 3])])));
    }
}
