using FastPrune.Graph.Onnx;

namespace FastPrune.Graph.Building;

public sealed partial class GraphBuilder
{
    /// <summary>Declares a graph input and returns its name.</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="type">Element type.</param>
    /// <param name="shape">Declared shape; dims may be symbolic (<c>"batch"</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already defined.</exception>
    public string Input(string name, ElemType type, params ReadOnlySpan<DimSpec> shape)
    {
        Define(name, nameof(name));
        Graph.Input.Add(MakeValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares an existing tensor as a graph output with a declared shape.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public string Output(string name, ElemType type, params ReadOnlySpan<DimSpec> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Graph.Output.Add(MakeValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares a graph output with an element type but no shape (rank unknown).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public string OutputWithoutShape(string name, ElemType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Graph.Output.Add(MakeValueInfo(name, type));
        return name;
    }

    /// <summary>Records the type and shape of an intermediate tensor in <c>value_info</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public void ValueInfo(string name, ElemType type, params ReadOnlySpan<DimSpec> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Graph.ValueInfo.Add(MakeValueInfo(name, type, shape));
    }

    /// <summary>A tensor value-info with a declared shape.</summary>
    public static ValueInfoProto MakeValueInfo(string name, ElemType type, ReadOnlySpan<DimSpec> shape)
    {
        var info = MakeValueInfo(name, type);
        var s = new TensorShapeProto();
        foreach (var d in shape)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.Value is long v)
            {
                dim.DimValue = v;
            }
            else if (d.Param is string p)
            {
                dim.DimParam = p;
            }

            s.Dim.Add(dim);
        }

        info.Type.TensorType.Shape = s;
        return info;
    }

    /// <summary>A tensor value-info with an element type and no shape.</summary>
    public static ValueInfoProto MakeValueInfo(string name, ElemType type) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } },
    };
}
