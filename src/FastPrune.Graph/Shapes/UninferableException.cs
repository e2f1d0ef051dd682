namespace FastPrune.Graph;

/// <summary>
/// A rule cannot infer its node from what is known (a Reshape target or Pad amounts computed from data, a
/// ruleless op upstream): shape inference then measures the node like an op without a rule, never refuses it.
/// </summary>
internal sealed class UninferableException(string cause, string node) : Exception(cause)
{
    /// <summary>The node's name.</summary>
    public string NodeName { get; } = node;
}
