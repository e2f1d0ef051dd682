namespace FastPrune.Runtime;

/// <summary>A model loaded in an engine with its inputs in place, ready to run one batch at a time.</summary>
internal interface IBatchRunner : IDisposable
{
    /// <summary>Runs one batch and returns the milliseconds of the runtime call alone.</summary>
    /// <exception cref="BenchmarkException">The run failed or ran out of memory.</exception>
    double RunOnceMs();
}
