namespace FastPrune.Graph.Pruning;

/// <summary>A genome that does not fit the model's genes (wrong length, a count out of range, off the step grid).</summary>
public sealed class GenomeException(string message) : Exception(message);
