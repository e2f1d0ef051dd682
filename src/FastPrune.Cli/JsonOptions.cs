using System.Text.Json;

namespace FastPrune.Cli;

/// <summary>Shared serializer settings: one compact object per line.</summary>
internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
}
