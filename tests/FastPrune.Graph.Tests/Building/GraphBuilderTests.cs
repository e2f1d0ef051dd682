using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using Google.Protobuf;
using Xunit;

namespace FastPrune.Graph.Tests.Building;

public sealed class GraphBuilderTests
{
    [Fact]
    public void Constructor_NullName_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => new GraphBuilder(null!));

    [Fact]
    public void Constructor_OpsetZero_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GraphBuilder("g", opset: 0));

    [Fact]
    public void Input_DuplicateName_ThrowsArgument()
    {
        var b = new GraphBuilder("g");
        b.Input("x", ElemType.Float, 1);

        Assert.Throws<ArgumentException>(() => b.Input("x", ElemType.Float, 1));
        Assert.Throws<ArgumentException>(() => b.Initializer("x", [1], [1f]));
    }

    [Fact]
    public void Input_EmptyName_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GraphBuilder("g").Input("", ElemType.Float));

    [Fact]
    public void Node_EmptyOpType_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => new GraphBuilder("g").Node("", ["x"]));

    [Fact]
    public void Node_NullInput_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => new GraphBuilder("g").Node("Relu", [null!]));

    [Fact]
    public void Node_DuplicateNodeName_ThrowsArgument()
    {
        var b = new GraphBuilder("g");
        b.Node("Relu", ["x"], name: "/a/Relu");

        Assert.Throws<ArgumentException>(() => b.Node("Relu", ["x"], name: "/a/Relu"));
    }

    [Fact]
    public void Node_DuplicateOutput_ThrowsArgument()
    {
        var b = new GraphBuilder("g");
        b.Node("Relu", ["x"], output: "y");

        Assert.Throws<ArgumentException>(() => b.Node("Sigmoid", ["x"], output: "y"));
    }

    [Fact]
    public void NodeOutputs_ZeroOutputs_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GraphBuilder("g").NodeOutputs("Split", ["x"], 0));

    [Fact]
    public void Node_Unnamed_GetsTorchStyleUniqueNames()
    {
        var b = new GraphBuilder("g");

        string first = b.Node("Relu", ["x"]);
        string second = b.Node("Relu", [first]);
        string[] split = b.NodeOutputs("Split", [second], 2, [Attrs.Int("axis", 1)]);

        Assert.Equal("/Relu_output_0", first);
        Assert.Equal("/Relu_1_output_0", second);
        Assert.Equal(["/Split_output_0", "/Split_output_1"], split);
        Assert.Equal(["/Relu", "/Relu_1", "/Split"], b.Graph.Node.Select(n => n.Name));
        Assert.Equal(1, b.Graph.Node[2].Attribute.Single().I);
    }

    [Fact]
    public void Node_EmptyName_UsesNumericOutputNamesSkippingTakenOnes()
    {
        var b = new GraphBuilder("g");
        b.Input("0", ElemType.Float, 1);

        string y = b.Node("Relu", ["0"], name: "");

        Assert.Equal("1", y);
        Assert.Equal("", b.Graph.Node[0].Name);
        Assert.Equal("2", b.NewNumericName());
    }

    [Fact]
    public void AddRawNode_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => new GraphBuilder("g").AddRawNode(null!));

    [Fact]
    public void AddRawNode_CyclicNode_IsKeptAndItsOutputReserved()
    {
        var b = new GraphBuilder("g");

        b.AddRawNode(new NodeProto { OpType = "Relu", Input = { "loop" }, Output = { "loop" } });

        Assert.True(b.IsDefined("loop"));
        Assert.Throws<ArgumentException>(() => b.Node("Relu", ["x"], output: "loop"));
    }

    [Fact]
    public void Build_Opset13_WritesIrVersion7AndOpsetImports()
    {
        var b = new GraphBuilder("g", opset: 13);
        b.ExtraOpsets["com.microsoft"] = 1;

        var m = b.Build();

        Assert.Equal(7, m.IrVersion);
        Assert.Equal(("", 13L), (m.OpsetImport[0].Domain, m.OpsetImport[0].Version));
        Assert.Equal(("com.microsoft", 1L), (m.OpsetImport[1].Domain, m.OpsetImport[1].Version));
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(9, 4)]
    [InlineData(11, 6)]
    [InlineData(17, 8)]
    [InlineData(21, 10)]
    public void IrVersionFor_Opset_MatchesOnnxReleaseTable(int opset, long ir) =>
        Assert.Equal(ir, GraphBuilder.IrVersionFor(opset));

    [Fact]
    public void Build_InitializersAsInputs_ListsEachWithItsShape()
    {
        var b = new GraphBuilder("g") { InitializersAsInputs = true };
        b.Input("x", ElemType.Float, "batch", 2);
        b.Initializer("w", [2, 3], [1f, 2f, 3f, 4f, 5f, 6f]);
        b.Int64Vector("s", 6);

        var inputs = b.Build().Graph.Input;

        Assert.Equal(["x", "w", "s"], inputs.Select(i => i.Name));
        Assert.Equal([2L, 3L], inputs[1].Type.TensorType.Shape.Dim.Select(d => d.DimValue));
        Assert.Equal((int)ElemType.Int64, inputs[2].Type.TensorType.ElemType);
        Assert.Single(b.Graph.Input); // the builder's own graph is untouched
    }

    [Fact]
    public void Build_SymbolicAndUnknownDims_RoundTripThroughBytes()
    {
        var b = new GraphBuilder("g");
        b.Input("x", ElemType.Float, "batch", DimSpec.Unknown, 7);
        b.ValueInfo("x", ElemType.Float, "batch", 3, 7);
        b.OutputWithoutShape("x", ElemType.Float);

        var m = b.Build();
        var parsed = ModelProto.Parser.ParseFrom(m.ToByteArray());

        Assert.Equal(m, parsed);
        var dims = parsed.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal("batch", dims[0].DimParam);
        Assert.Equal(TensorShapeProto.Types.Dimension.ValueOneofCase.None, dims[1].ValueCase);
        Assert.Equal(7, dims[2].DimValue);
        Assert.Null(parsed.Graph.Output[0].Type.TensorType.Shape);
        Assert.Single(parsed.Graph.ValueInfo);
    }

    [Fact]
    public void Constant_Int64AndScalars_HoldTheirValues()
    {
        var b = new GraphBuilder("g");

        b.ConstantInt64([3, -1]);
        b.ConstantScalar(5L);
        b.ConstantScalar(0.5f);

        var t = b.Graph.Node.Select(n => n.Attribute.Single().T).ToArray();
        Assert.Equal([2L], t[0].Dims);
        Assert.Equal([3L, -1L], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(t[0].RawData.Span).ToArray());
        Assert.Empty(t[1].Dims);
        Assert.Equal(5L, BitConverter.ToInt64(t[1].RawData.Span));
        Assert.Equal(0.5f, BitConverter.ToSingle(t[2].RawData.Span));
        Assert.Equal(["/Constant", "/Constant_1", "/Constant_2"], b.Graph.Node.Select(n => n.Name));
    }
}
