namespace FastPrune.Pipeline;

/// <summary>A calibrated model cannot fit in its memory limit (<see cref="PruneOptions.MemoryLimitBytes"/>); the message gives the estimate.</summary>
internal sealed class MemoryLimitException(string message) : Exception(message);
