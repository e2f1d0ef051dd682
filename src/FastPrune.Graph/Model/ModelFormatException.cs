namespace FastPrune.Graph;

/// <summary>
/// A model that is malformed or uses a structure FastPrune does not support. The message is one
/// line naming the file and, where known, the node or tensor, then the cause.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="file"/>, <paramref name="node"/> and <paramref name="tensor"/> are folded into the message.</summary>
    public ModelFormatException(string cause, string? file = null, string? node = null, string? tensor = null, Exception? inner = null)
        : base(Format(cause, file, node, tensor), inner)
    {
        Cause = cause;
        File = file;
        Node = node;
        Tensor = tensor;
    }

    /// <summary>The cause without the location prefix.</summary>
    public string Cause { get; }

    /// <summary>The model file, when known.</summary>
    public string? File { get; }

    /// <summary>The node the problem is in, when known.</summary>
    public string? Node { get; }

    /// <summary>The tensor the problem is about, when known.</summary>
    public string? Tensor { get; }

    /// <summary>The same problem located in <paramref name="file"/>.</summary>
    public ModelFormatException InFile(string file) =>
        File is null ? new ModelFormatException(Cause, file, Node, Tensor, InnerException) : this;

    private static string Format(string cause, string? file, string? node, string? tensor)
    {
        var parts = new List<string>(4);
        if (file is not null) parts.Add(file);
        if (node is not null) parts.Add($"node '{node}'");
        if (tensor is not null) parts.Add($"tensor '{tensor}'");
        parts.Add(cause);
        // One line, always: causes built from model strings must not smuggle in newlines.
        return string.Join(": ", parts).Replace('\n', ' ').Replace('\r', ' ');
    }
}
