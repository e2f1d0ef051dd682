using FastPrune.Search;

namespace FastPrune;

public static partial class Pruner
{
    /// <summary>
    /// Runs (or, with <see cref="SearchSettings.Resume"/>, continues) a search: NSGA-III or random over genomes, each
    /// subnet reconstructed and evaluated; writes history.csv (also the checkpoint), front.json, front.png and one model
    /// per target into the run folder. The run folder is locked while the run works.
    /// </summary>
    /// <param name="settings">What to search and how.</param>
    /// <param name="progress">Receives the generation, subnets done, best accuracy per target and stage messages.</param>
    /// <param name="cancel">Stops after saving the history; a run stopped before its first subnet removes what it wrote.</param>
    /// <exception cref="FastPruneException">Invalid settings, model or data; a folder that is not empty, in use or not
    /// resumable; a run that cannot fit its memory limit; a singular system.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the history so far is a valid checkpoint when one subnet was done.</exception>
    public static RunResult Search(SearchSettings settings, IProgress<RunProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Failures.Guard(() => SearchRun.Execute(settings.ToPipeline(), progress, cancel));
    }

    /// <summary>The settings a run folder stored when it started (absolute paths, <see cref="SearchSettings.Resume"/> set),
    /// or null for a folder written before settings were stored.</summary>
    /// <exception cref="FastPruneException">The folder does not exist or has no readable checkpoint.</exception>
    public static SearchSettings? StoredSearch(string runFolder)
    {
        ArgumentNullException.ThrowIfNull(runFolder);
        return Failures.Guard(() => SearchRun.StoredOptions(runFolder) is { } o ? SearchSettings.FromPipeline(o) : null);
    }
}
