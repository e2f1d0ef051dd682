namespace FastPrune.Cli;

/// <summary>The lower-case names the command line gives the library's enums (<c>cpu</c>, <c>l1</c>, <c>exact</c>).</summary>
internal static class Names
{
    /// <summary>The flag value of <paramref name="value"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Parses a flag value (any case) naming one of <typeparamref name="T"/>'s values; numbers are refused.</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(Of(v), text, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }
}
