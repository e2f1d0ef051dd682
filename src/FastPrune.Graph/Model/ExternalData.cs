using FastPrune.Graph.Onnx;
using Google.Protobuf;

namespace FastPrune.Graph;

/// <summary>
/// Reads initializers stored in external data files into memory, with the path rules onnx itself
/// enforces: the location is relative, has no <c>..</c> component, and does not escape the model's
/// folder through a symbolic link; offset and length lie inside the file.
/// </summary>
internal static class ExternalData
{
    public static void Resolve(ModelProto model, string modelDir)
    {
        if (model.Graph is null) return;
        var realDir = RealPath(modelDir);
        // Bytes taken from each file so far: regions that overlap (every tensor naming the same 1 GB) would
        // multiply the file in memory, so together they may not exceed the file.
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in model.Graph.Initializer)
        {
            if (t.DataLocation != TensorProto.Types.DataLocation.External)
                continue;
            Read(t, modelDir, realDir, taken);
        }
    }

    private static void Read(TensorProto t, string modelDir, string realDir, Dictionary<string, long> taken)
    {
        string? location = null;
        long offset = 0, length = -1;
        foreach (var kv in t.ExternalData)
        {
            switch (kv.Key)
            {
                case "location": location = kv.Value; break;
                case "offset": offset = ParseNonNegative(kv.Value, "offset", t.Name); break;
                case "length": length = ParseNonNegative(kv.Value, "length", t.Name); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new ModelFormatException("external data without a location", tensor: t.Name);
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\'))
            throw new ModelFormatException($"external data location '{location}' is an absolute path", tensor: t.Name);
        if (location.Split('/', '\\').Any(p => p == ".."))
            throw new ModelFormatException($"external data location '{location}' escapes the model folder with '..'", tensor: t.Name);
        var file = Path.Combine(modelDir, location);
        if (Directory.Exists(file))
            throw new ModelFormatException($"external data location '{location}' is a folder, not a file", tensor: t.Name);
        if (!File.Exists(file))
            throw new ModelFormatException($"external data file '{location}' does not exist", tensor: t.Name);
        var real = RealPath(file);
        if (!real.StartsWith(realDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ModelFormatException($"external data location '{location}' resolves outside the model folder", tensor: t.Name);

        int size = ElementType.SizeOf(t.DataType);
        if (size == 0)
            throw new ModelFormatException($"unsupported external element type {ElementType.Name(t.DataType)}", tensor: t.Name);
        long need = TensorData.ElementCount(t.Dims, t.Name) * size;
        long fileLength = new FileInfo(real).Length;
        if (length < 0) length = need;
        if (length != need)
            throw new ModelFormatException($"external data length {length} does not match dims (need {need} bytes)", tensor: t.Name);
        if (offset > fileLength || length > fileLength - offset)
            throw new ModelFormatException($"external data [{offset}, {offset + length}) lies outside '{location}' ({fileLength} bytes)", tensor: t.Name);
        if (length > Array.MaxLength)
            throw new ModelFormatException($"external data of {length} bytes is more than one tensor can hold in memory ({Array.MaxLength} bytes)", tensor: t.Name);
        long before = taken.GetValueOrDefault(real);
        if (length > fileLength - before)
            throw new ModelFormatException($"external data regions in '{location}' add up to more than its {fileLength} bytes (tensors share bytes)", tensor: t.Name);
        taken[real] = before + length;

        var bytes = new byte[length];
        using (var fs = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fs.Seek(offset, SeekOrigin.Begin);
            fs.ReadExactly(bytes);
        }
        // The model in memory is self-contained from here on; it is saved with its data inline.
        t.ExternalData.Clear();
        t.DataLocation = TensorProto.Types.DataLocation.Default;
        t.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static long ParseNonNegative(string s, string key, string tensor) =>
        long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ModelFormatException($"external data {key} '{s}' is not a non-negative integer", tensor: tensor);

    private static string RealPath(string path)
    {
        // Resolve every symbolic link on the way, folder by folder, so that a link anywhere in the
        // chain is seen.
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo fi = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            var target = fi.LinkTarget is null ? null : fi.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null)
                current = Path.GetFullPath(target.FullName);
        }
        return current;
    }
}
