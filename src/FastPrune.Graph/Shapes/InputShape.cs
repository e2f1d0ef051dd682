using System.Globalization;

namespace FastPrune.Graph;

/// <summary>
/// A user-given shape for one graph input, as <c>--input-shape [NAME:]D0,D1,…</c> writes it (like onnxsim's
/// <c>--overwrite-input-shape</c>). It fixes dims the model leaves dynamic for analysis only: shape inference,
/// MAC counting and the shape oracle see it, the models FastPrune writes keep the original's dynamic dims.
/// </summary>
/// <param name="Name">The graph input, or null for the model's only input.</param>
/// <param name="Dims">One positive size per dim, batch first.</param>
public sealed record InputShape(string? Name, IReadOnlyList<long> Dims)
{
    /// <summary>Parses <c>[NAME:]D0,D1,…</c>; the name may itself contain ':' (the last one separates).</summary>
    /// <param name="text">The flag's value.</param>
    /// <exception cref="FormatException">The text is not a list of positive integers, optionally after a name.</exception>
    public static InputShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        string? name = colon >= 0 ? text[..colon] : null;
        string list = colon >= 0 ? text[(colon + 1)..] : text;
        if (name is { Length: 0 })
            throw new FormatException($"'{text}': empty input name before ':'");
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        var dims = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1)
                throw new FormatException($"'{text}': dim {i} ('{parts[i]}') is not a positive integer (expected [NAME:]D0,D1,…, e.g. 1,3,224,224)");
        }
        return new InputShape(name, dims);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        (Name is null ? "" : Name + ":") + string.Join(",", Dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
