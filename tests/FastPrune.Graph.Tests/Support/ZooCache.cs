using FastPrune.Graph.Onnx;
using FastPrune.Graph.Zoo;

namespace FastPrune.Graph.Tests.Support;

/// <summary>
/// Zoo models built once per test run (the builds are deterministic, so sharing them cannot couple tests).
/// DeiT-Base is deliberately not cached: 350 MB held for the whole run would crowd the other tests.
/// </summary>
internal static class ZooCache
{
    private static readonly Dictionary<(string, int, bool), Lazy<ModelProto>> Models = new();

    public static ModelProto Get(string name, int opset = 13, bool isStatic = false)
    {
        if (name == "deit_base") throw new ArgumentException("build deit_base where it is used; it is too large to cache", nameof(name));
        Lazy<ModelProto> lazy;
        lock (Models)
        {
            if (!Models.TryGetValue((name, opset, isStatic), out lazy!))
                Models[(name, opset, isStatic)] = lazy = new Lazy<ModelProto>(() => Build(name, opset, isStatic));
        }
        return lazy.Value;
    }

    private static ModelProto Build(string name, int opset, bool isStatic) =>
        name == "legacy_cnn" ? ZooModels.BuildLegacyCnn(3) : ZooModels.Build(name, 3, new ZooOptions { Opset = opset, StaticBatch = isStatic });

    /// <summary>The shape of the model's input at <paramref name="batch"/>.</summary>
    public static long[] InputShape(ModelProto m, int batch) =>
        m.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue > 0 ? d.DimValue : batch).ToArray();
}
