namespace FastPrune.Search;

/// <summary>Where a run stands, reported after every subnet.</summary>
/// <param name="Generation">Current generation (0: initial population).</param>
/// <param name="Evaluated">Subnets in the history.</param>
/// <param name="Budget">Subnets the run will evaluate.</param>
/// <param name="SubnetsPerSecond">Rate of this run's evaluations.</param>
/// <param name="BestAtTargets">Best accuracy so far at each target (NaN: none yet).</param>
/// <param name="Eta">Estimated time left.</param>
/// <param name="Message">A stage message, or null for a plain progress update.</param>
public sealed record RunProgress(int Generation, int Evaluated, int Budget, double SubnetsPerSecond, IReadOnlyList<double> BestAtTargets, TimeSpan Eta, string? Message = null);
