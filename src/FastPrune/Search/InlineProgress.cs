namespace FastPrune.Search;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread, in order. <see cref="Progress{T}"/> posts each
/// report to the thread pool when there is no synchronisation context (a console or test host), so a report could reach
/// the caller's writer out of order, or after the run returned and the writer was closed.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
