using FastPrune.Graph.Onnx;
using FastPrune.Tests.Cli;
using Google.Protobuf;

namespace FastPrune.Tests.Corpus;

/// <summary>The tiny conv model (<see cref="TinyModels.Conv"/>) broken one way at a time, for the corpus.</summary>
internal static class CorpusModels
{
    /// <summary>A copy of the tiny model with <paramref name="edit"/> applied.</summary>
    public static ModelProto Edit(Action<ModelProto> edit)
    {
        var m = TinyModels.Conv();
        edit(m);
        return m;
    }

    public static ModelProto Opset(long version) => Edit(m => m.OpsetImport[0].Version = version);

    public static ModelProto InputDim(int axis, long value) => Edit(m => m.Graph.Input[0].Type.TensorType.Shape.Dim[axis].DimValue = value);

    /// <summary>A second graph input that an Add node consumes: the pipeline can feed only the image.</summary>
    public static ModelProto SecondInput() => Edit(m =>
    {
        m.Graph.Input.Add(FastPrune.Graph.Building.GraphBuilder.MakeValueInfo("input2", FastPrune.Graph.Building.ElemType.Float, [1, 2, 8, 8]));
        var last = m.Graph.Node[^1];
        last.Output[0] = "head_out";
        var add = new NodeProto { OpType = "Add", Name = "/add2/Add" };
        add.Input.Add("head_out");
        add.Input.Add("input2");
        add.Output.Add("output");
        m.Graph.Node.Add(add);
    });

    /// <summary>Initializer bytes cut short of what its dims need.</summary>
    public static ModelProto ShortInitializer() => Edit(m =>
    {
        var t = m.Graph.Initializer.Single(i => i.Name == "conv.weight");
        if (t.RawData.Length > 0) t.RawData = ByteString.CopyFrom(t.RawData.Span[..8]);
        else
        {
            while (t.FloatData.Count > 2) t.FloatData.RemoveAt(t.FloatData.Count - 1);
        }
    });

    public static ModelProto DanglingInput() => Edit(m => m.Graph.Node[1].Input[0] = "nowhere");

    public static ModelProto ProducedTwice() => Edit(m => m.Graph.Node[1].Output[0] = m.Graph.Node[0].Output[0]);

    public static ModelProto NoGraph() => Edit(m => m.Graph = null);

    public static ModelProto OnlyCustomOpset() => Edit(m => m.OpsetImport[0].Domain = "com.example");

    public static ModelProto NegativeInputDim() => InputDim(2, -3);

    public static ModelProto DuplicateInitializer() => Edit(m => m.Graph.Initializer.Add(m.Graph.Initializer[0].Clone()));

    public static ModelProto NodeWithoutOpType() => Edit(m => m.Graph.Node[1].OpType = "");

    public static ModelProto OutputOfNothing() => Edit(m => m.Graph.Output[0].Name = "ghost");

    public static ModelProto UnnamedInitializer() => Edit(m => m.Graph.Initializer[1].Name = "");

    public static ModelProto StringInitializerCount() => Edit(m =>
    {
        var t = m.Graph.Initializer.Single(i => i.Name == "conv.bias");
        t.DataType = 8; // STRING
        t.RawData = ByteString.Empty;
        t.StringData.Add(ByteString.CopyFromUtf8("a"));
    });

    public static ModelProto SparseInitializer() => Edit(m => m.Graph.SparseInitializer.Add(new SparseTensorProto { Values = new TensorProto { Name = "sparse" } }));

    public static ModelProto HugeInitializerDims() => Edit(m =>
    {
        var t = m.Graph.Initializer.Single(i => i.Name == "conv.bias");
        t.Dims.Clear();
        t.Dims.Add(1L << 40);
        t.Dims.Add(1L << 40);
    });
}
