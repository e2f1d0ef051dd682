using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Graph.Zoo;
using FastPrune.Runtime;
using Xunit;

namespace FastPrune.Tests.Bench;

public sealed class InputSpecTests
{
    private static OnnxModel Identity(params DimSpec[] shape)
    {
        var b = new GraphBuilder("id");
        string x = b.Input("x", ElemType.Float, shape);
        b.Output(b.Node("Relu", [x], output: "y"), ElemType.Float, shape);
        return OnnxModel.FromProto(b.Build(), "id.onnx");
    }

    [Fact]
    public void ForBatch_SymbolicBatch_SetsFirstDimToBatch()
    {
        var spec = Assert.Single(InputSpec.ForBatch(Identity("N", 3, 8, 8), 6));

        Assert.Equal("x", spec.Name);
        Assert.Equal(ElementType.Float, spec.ElementType);
        Assert.Equal([6L, 3, 8, 8], spec.Shape.ToArray());
        Assert.Equal(6 * 3 * 8 * 8, spec.ElementCount);
    }

    [Fact]
    public void ForBatch_FixedBatchEqualToBatch_Accepted()
    {
        Assert.Equal([2L, 5], Assert.Single(InputSpec.ForBatch(Identity(2, 5), 2)).Shape.ToArray());
    }

    [Fact]
    public void ForBatch_InitializersListedAsInputs_AreNotFed()
    {
        var legacy = OnnxModel.FromProto(ZooModels.Build("legacy_cnn"));
        Assert.True(legacy.Proto.Graph.Input.Count > 1);

        var spec = Assert.Single(InputSpec.ForBatch(legacy, 1));

        Assert.Equal([1L, 3, 32, 32], spec.Shape.ToArray());
    }

    [Fact]
    public void ForBatch_FixedBatchOtherThanBatch_ThrowsUnsupportedInputNamingTheFixedBatch()
    {
        var e = Assert.Throws<BenchmarkException>(() => InputSpec.ForBatch(Identity(1, 5), 4));

        Assert.Equal(BenchmarkFailure.UnsupportedInput, e.Failure);
        Assert.StartsWith("id.onnx: input 'x': the model's batch is fixed to 1, so it cannot run batch 4", e.Message);
    }

    [Fact]
    public void ForBatch_DynamicNonBatchDim_ThrowsUnsupportedInput()
    {
        var e = Assert.Throws<BenchmarkException>(() => InputSpec.ForBatch(Identity("N", "len", 4), 2));

        Assert.Equal(BenchmarkFailure.UnsupportedInput, e.Failure);
        Assert.Equal("id.onnx: input 'x': dimension 1 is dynamic ('len'); only the first (batch) dimension may be, or fix it with --input-shape x:D0,D1,…", e.Message);
    }

    [Fact]
    public void ForBatch_UnknownNonBatchDim_ThrowsUnsupportedInput()
    {
        var e = Assert.Throws<BenchmarkException>(() => InputSpec.ForBatch(Identity("N", DimSpec.Unknown), 2));

        Assert.Equal("id.onnx: input 'x': dimension 1 is dynamic (unknown); only the first (batch) dimension may be, or fix it with --input-shape x:D0,D1,…", e.Message);
    }

    [Fact]
    public void ForBatch_Scalar_ThrowsUnsupportedInput()
    {
        var e = Assert.Throws<BenchmarkException>(() => InputSpec.ForBatch(Identity(), 1));

        Assert.Equal(BenchmarkFailure.UnsupportedInput, e.Failure);
        Assert.Contains("is a scalar", e.Message);
    }

    [Fact]
    public void ForBatch_BatchBelowOne_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InputSpec.ForBatch(Identity("N", 2), 0));
    }

    [Fact]
    public void ForBatch_NullModel_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => InputSpec.ForBatch(null!, 1));
    }
}
