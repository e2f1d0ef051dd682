namespace FastPrune.Pipeline;

/// <summary>How a pruned network's weights are recovered (paper section 3.4 and beyond).</summary>
public enum ReconMode
{
    /// <summary>Weights are only sliced.</summary>
    None,
    /// <summary>The paper's: every layer whose inputs were pruned is re-solved from the original network's features (stored Grams).</summary>
    Paper,
    /// <summary>Ours: paper first, then every layer re-solved from the pruned network's own inputs against the original's outputs, in a few passes.</summary>
    Corrective,
    /// <summary>Slow reference: one layer at a time in topological order, each from the inputs of the already corrected network.</summary>
    Exact,
}
