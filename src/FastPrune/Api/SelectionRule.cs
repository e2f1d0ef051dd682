namespace FastPrune;

/// <summary>Which channels (or heads) of a layer a smaller count keeps (paper section 3.3).</summary>
public enum SelectionRule
{
    /// <summary>A seeded random subset (the paper's default).</summary>
    Random,
    /// <summary>The units with the largest L1 norm of their weights (FastPrune's default: 1–5 points better before search on the samples).</summary>
    L1,
}
