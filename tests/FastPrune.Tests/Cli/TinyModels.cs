using FastPrune.Graph.Building;
using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Tests.Cli;

/// <summary>Small valid models the bad-input tests break one way at a time.</summary>
internal static class TinyModels
{
    /// <summary>input [1,3,8,8] → Conv(4, 3×3, pad 1) + bias → Relu → Conv(2, 1×1) → output; weights from a fixed seed.</summary>
    public static ModelProto Conv()
    {
        var rng = new Random(11);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = new GraphBuilder("tiny", opset: 13);
        var x = b.Input("input", ElemType.Float, 1, 3, 8, 8);
        var w = b.Initializer("conv.weight", [4, 3, 3, 3], Rand(4 * 3 * 9));
        var bias = b.Initializer("conv.bias", [4], Rand(4));
        var y = b.Node("Conv", [x, w, bias], [Attrs.Ints("pads", 1, 1, 1, 1), Attrs.Ints("kernel_shape", 3, 3)], name: "/conv/Conv");
        var r = b.Node("Relu", [y], name: "/relu/Relu");
        var w2 = b.Initializer("head.weight", [2, 4, 1, 1], Rand(8));
        var o = b.Node("Conv", [r, w2], name: "/head/Conv", output: "output");
        b.Output(o, ElemType.Float, 1, 2, 8, 8);
        return b.Build();
    }

    /// <summary>A chain of <paramref name="length"/> Relu nodes from input to output.</summary>
    public static ModelProto ReluChain(int length)
    {
        var g = new GraphProto { Name = "chain" };
        g.Input.Add(GraphBuilder.MakeValueInfo("x", ElemType.Float, [1, 4]));
        string prev = "x";
        for (int i = 0; i < length; i++)
        {
            var n = new NodeProto { OpType = "Relu", Name = $"r{i}" };
            n.Input.Add(prev);
            prev = $"t{i}";
            n.Output.Add(prev);
            g.Node.Add(n);
        }
        g.Output.Add(GraphBuilder.MakeValueInfo(prev, ElemType.Float, [1, 4]));
        var m = new ModelProto { IrVersion = 7, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return m;
    }

    public static void Write(string path, ModelProto model) => File.WriteAllBytes(path, model.ToByteArray());

    /// <summary>Moves initializer <paramref name="name"/>'s bytes into an external data entry pointing at <paramref name="location"/>.</summary>
    public static ModelProto WithExternal(ModelProto model, string name, string location, long? offset = null, long? length = null)
    {
        var m = model.Clone();
        var t = m.Graph.Initializer.Single(i => i.Name == name);
        t.RawData = ByteString.Empty;
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        if (offset is not null) t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (length is not null) t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return m;
    }
}
