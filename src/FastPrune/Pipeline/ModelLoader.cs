using FastPrune.Data;
using FastPrune.Graph;
using FastPrune.Runtime;

namespace FastPrune.Pipeline;

/// <summary>
/// Opens a model the way every command does: the user's <c>--input-shape</c> overrides, then, for an image
/// input whose H and W nothing fixed, the size of the data (IDX and .npy have one; an image folder does not),
/// and ONNX Runtime as the oracle for ops without a shape rule. The overrides serve analysis only: the
/// models FastPrune writes keep the original's dynamic dims.
/// </summary>
internal static class ModelLoader
{
    /// <summary>Loads <paramref name="path"/> with its shape options.</summary>
    /// <param name="path">The ONNX file.</param>
    /// <param name="inputShapes">The user's overrides (none: empty or null).</param>
    /// <param name="dataPath">The data, whose size fixes a dynamic H/W left open; null for none.</param>
    /// <exception cref="ModelFormatException">The file is not a valid model.</exception>
    /// <exception cref="InputShapeException">An override names no input, or an image folder is asked to size a dynamic H/W.</exception>
    /// <exception cref="DataException">The data file cannot be read for its size.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static OnnxModel Load(string path, IReadOnlyList<InputShape>? inputShapes = null, string? dataPath = null)
    {
        var model = OnnxModel.Load(path);
        return model.WithShapeOptions(Options(model, inputShapes ?? [], dataPath));
    }

    /// <summary>The shape options for <paramref name="model"/> (see <see cref="Load"/>).</summary>
    /// <exception cref="InputShapeException">See <see cref="Load"/>.</exception>
    /// <exception cref="DataException">See <see cref="Load"/>.</exception>
    public static ShapeOptions Options(OnnxModel model, IReadOnlyList<InputShape> inputShapes, string? dataPath)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = new ShapeOptions(inputShapes, OrtShapeOracle.Instance);
        if (dataPath is null) return options;
        var index = new GraphIndex(model.Proto.Graph);
        if (index.Inputs.Count != 1) return options;
        var input = index.Inputs.Values.First();
        if (inputShapes.Any(s => s.Name is null || s.Name == input.Name)) return options;
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is not { Count: 4 }) return options;
        bool Fixed(int i) => dims[i].ValueCase == Graph.Onnx.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
        if (Fixed(2) && Fixed(3)) return options;
        var size = DataSize(dataPath) ?? throw new InputShapeException(
            $"input '{input.Name}' has dynamic H and W and '{dataPath}' is an image folder, whose images have no single size; " +
            $"give it with --input-shape {input.Name}:1,{(Fixed(1) ? dims[1].DimValue : 3)},H,W (or use a model exported with fixed H and W)");
        long channels = Fixed(1) ? dims[1].DimValue : size.Channels;
        return options.WithInputShapes([new InputShape(input.Name, [1, channels, size.Height, size.Width])]);
    }

    /// <summary>The sample size of IDX or .npy data, or null for an image folder.</summary>
    private static SampleShape? DataSize(string path)
    {
        if (Directory.Exists(path))
        {
            var idx = Directory.EnumerateFiles(path).Where(f => Path.GetFileName(f).Contains("idx3", StringComparison.OrdinalIgnoreCase)).ToArray();
            if (idx.Length != 1) return null;
            path = idx[0];
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"data not found: {path}", path);
        using (var fs = File.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[6];
            if (fs.ReadAtLeast(magic, 6, throwOnEndOfStream: false) == 6 && magic.SequenceEqual(NpyHeader.Magic))
            {
                fs.Position = 0;
                var h = NpyHeader.Read(fs, path);
                if (h.Shape.Length != 4)
                    throw new DataException(path, $"holds a rank-{h.Shape.Length} array; expected float32 NCHW images");
                return new SampleShape(checked((int)h.Shape[1]), checked((int)h.Shape[2]), checked((int)h.Shape[3]));
            }
        }
        using var file = IdxFile.Open(path);
        return file.Dims.Length == 3 ? new SampleShape(1, file.Dims[1], file.Dims[2])
            : throw new DataException(path, $"IDX rank {file.Dims.Length} is not an image set (expected N×H×W)");
    }
}
