using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Graph;

/// <summary>
/// An ONNX model held in memory: the protobuf <see cref="ModelProto"/> (initializer bytes are
/// protobuf <see cref="ByteString"/> slices, never copied per element) plus the file it came from.
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel(ModelProto proto, string? path, ShapeOptions? shapeOptions)
    {
        Proto = proto;
        SourcePath = path;
        ShapeOptions = shapeOptions ?? ShapeOptions.None;
    }

    /// <summary>The protobuf message; surgery edits a clone of it, never this one in place.</summary>
    public ModelProto Proto { get; }

    /// <summary>The oldest default-domain opset accepted: ONNX 1.2's, the oldest ONNX Runtime supports.</summary>
    public const int MinOpset = 7;

    /// <summary>The newest default-domain opset accepted: what ONNX Runtime 1.31 loads (27 and later it refuses).</summary>
    public const int MaxOpset = 26;

    /// <summary>The file the model was loaded from, or null.</summary>
    public string? SourcePath { get; }

    /// <summary>
    /// How shapes of this model are inferred (input shape overrides, an oracle for ops without a rule); models
    /// derived from it (untied, folded, pruned) carry the same options. Never written to the file.
    /// </summary>
    public ShapeOptions ShapeOptions { get; }

    /// <summary>The same model (same protobuf, not copied) analysed with <paramref name="options"/>.</summary>
    public OnnxModel WithShapeOptions(ShapeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OnnxModel(Proto, SourcePath, options);
    }

    /// <summary>A name for messages: the file path, or the graph name.</summary>
    public string DisplayName => SourcePath ?? (string.IsNullOrEmpty(Proto.Graph?.Name) ? "<model>" : Proto.Graph.Name);

    /// <summary>The opset of the default (ai.onnx) domain.</summary>
    public long Opset => Proto.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>Loads and validates a model file, resolving external data next to it.</summary>
    /// <exception cref="ModelFormatException">The file is not a valid ONNX model FastPrune can handle.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static OnnxModel Load(string path)
    {
        var info = CheckFile(path);
        if (info.Length == 0)
            throw new ModelFormatException("empty file, not an ONNX model", path);
        ModelProto proto;
        try
        {
            // Streaming parse: no byte[] of the whole file is ever held, so peak memory stays near
            // the size of the initializers themselves.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            // A file of millions of tiny entries parses into 100x its size: count them before parsing.
            ProtoEntryBudget.Check(stream, ModelProto.Descriptor);
            stream.Position = 0;
            proto = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"not a valid ONNX protobuf ({FirstSentence(e.Message)})", path, inner: e);
        }
        catch (ModelFormatException e)
        {
            throw e.InFile(path);
        }
        try
        {
            ExternalData.Resolve(proto, Path.GetDirectoryName(Path.GetFullPath(path))!);
            return FromProto(proto, path);
        }
        catch (ModelFormatException e)
        {
            throw e.InFile(path);
        }
    }

    /// <summary>Checks, before anything is read, that <paramref name="path"/> names a model file that exists.</summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="ModelFormatException">The path is empty, or names a folder or a device rather than a file.</exception>
    public static FileInfo CheckFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw new ModelFormatException("the model path is empty", "''");
        var status = FileStatus.Of(path);
        if (status is { IsDirectory: true })
            throw new ModelFormatException("is a folder, not an ONNX model file", path);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"{path}: no such file", path);
        if (status is { IsRegular: false } && info.LinkTarget is null)
            throw new ModelFormatException("is not a regular file (a device, pipe or socket), not an ONNX model file", path);
        return info;
    }

    /// <summary>Wraps and validates an in-memory model (external data is not allowed here).</summary>
    /// <param name="proto">The model.</param>
    /// <param name="path">The file it stands for, for messages.</param>
    /// <param name="shapeOptions">How its shapes are inferred; null for <see cref="ShapeOptions.None"/>.</param>
    /// <exception cref="ModelFormatException">The model is invalid.</exception>
    public static OnnxModel FromProto(ModelProto proto, string? path = null, ShapeOptions? shapeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        ModelValidator.Validate(proto);
        return new OnnxModel(proto, path, shapeOptions);
    }

    /// <summary>Parses and validates a serialized model.</summary>
    /// <exception cref="ModelFormatException">The bytes are not a valid model.</exception>
    public static OnnxModel FromBytes(ReadOnlySpan<byte> bytes, string? name = null)
    {
        if (bytes.IsEmpty)
            throw new ModelFormatException("empty input, not an ONNX model", name);
        try
        {
            return FromProto(ModelProto.Parser.ParseFrom(bytes), name);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"not a valid ONNX protobuf ({FirstSentence(e.Message)})", name, inner: e);
        }
        catch (ModelFormatException e) when (name is not null)
        {
            throw e.InFile(name);
        }
    }

    /// <summary>The serialized model.</summary>
    public byte[] ToBytes() => Proto.ToByteArray();

    /// <summary>Writes the model atomically: a temporary file in the target folder, flushed, then renamed.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => AtomicFile.Write(path, s => Proto.WriteTo(s));

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return (dot > 0 ? message[..dot] : message.TrimEnd('.')).Replace('\n', ' ');
    }
}
