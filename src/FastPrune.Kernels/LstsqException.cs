namespace FastPrune.Kernels;

/// <summary>A least-squares problem that cannot be solved: non-finite inputs, or a system that stays non-SPD after ridge escalation.</summary>
public sealed class LstsqException : Exception
{
    /// <summary>Creates the exception for problem <paramref name="problemIndex"/>.</summary>
    public LstsqException(int problemIndex, string label, string message)
        : base($"least-squares problem {problemIndex} '{label}': {message}")
    {
        ProblemIndex = problemIndex;
        Label = label;
    }

    /// <summary>Index of the failing problem in the batch.</summary>
    public int ProblemIndex { get; }

    /// <summary>Label of the failing problem.</summary>
    public string Label { get; }
}
