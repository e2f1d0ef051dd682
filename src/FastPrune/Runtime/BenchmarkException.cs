namespace FastPrune.Runtime;

/// <summary>
/// A throughput measurement that could not be made. The message is one line naming the model (when there
/// is one) and the cause, with the runtime's own words where it gave any.
/// </summary>
internal sealed class BenchmarkException : Exception
{
    /// <summary>Creates the exception; <paramref name="model"/> is folded into the message as a prefix.</summary>
    /// <param name="failure">What kind of failure this is.</param>
    /// <param name="cause">The cause, one line.</param>
    /// <param name="model">The model file, when the failure concerns one.</param>
    /// <param name="inner">The runtime's exception, if any.</param>
    public BenchmarkException(BenchmarkFailure failure, string cause, string? model = null, Exception? inner = null)
        : base(Format(cause, model), inner)
    {
        Failure = failure;
        Model = model;
    }

    /// <summary>What kind of failure this is.</summary>
    public BenchmarkFailure Failure { get; }

    /// <summary>The model file, or null when the failure is about the engine alone.</summary>
    public string? Model { get; }

    /// <summary>Collapses native messages, which often span lines and end with a newline, to one line.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Format(string cause, string? model) =>
        OneLine(model is null ? cause : $"{model}: {cause}");
}
