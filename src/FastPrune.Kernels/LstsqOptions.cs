namespace FastPrune.Kernels;

/// <summary>Ridge and escalation settings for <see cref="IReconEngine.SolveBatch"/>.</summary>
public sealed record LstsqOptions
{
    /// <summary>Ridge factor: λ = α·mean(diag G) over live columns. Default 1e-4; 0 solves the plain normal equations.</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>How many times a failing system is retried with α multiplied by 10. Default 4.</summary>
    public int MaxEscalations { get; init; } = 4;

    internal void Validate()
    {
        if (!(Alpha >= 0) || double.IsInfinity(Alpha))
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be finite and non-negative.");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxEscalations, nameof(MaxEscalations));
    }
}
