namespace FastPrune.Graph.Tests.Support;

/// <summary>The torchvision family exports under tests/fixtures/families (tools/fixtures/export_families.py).</summary>
internal static class FamilyFixtures
{
    /// <summary>The dynamic-H/W export, analysed at this size.</summary>
    public const string DynamicModel = "mobilenet_v2_dynamic_hw";

    public static string Folder => Path.Combine(Repo.Root, "tests", "fixtures", "families");

    public static string PathOf(string name) => Path.Combine(Folder, name + ".onnx");

    public static IEnumerable<object[]> All() =>
        Directory.EnumerateFiles(Folder, "*.onnx").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).Select(n => new object[] { n });

    /// <summary>The model with the shape options the tests analyse it with (64×64 for the dynamic export).</summary>
    public static OnnxModel Load(string name)
    {
        var m = OnnxModel.Load(PathOf(name));
        return name == DynamicModel ? m.WithShapeOptions(new ShapeOptions([new InputShape(null, [1, 3, 64, 64])])) : m;
    }

    /// <summary>The input shape at <paramref name="batch"/>: the declared dims, 64×64 for the dynamic export.</summary>
    public static long[] InputShape(OnnxModel model, int batch)
    {
        var dims = new GraphIndex(model.Proto.Graph).Inputs.Values.First().Type.TensorType.Shape.Dim;
        return dims.Select((d, i) => i == 0 ? batch : d.DimValue > 0 ? d.DimValue : 64).ToArray();
    }
}
