using FastPrune.Graph;
using FastPrune.Graph.Pruning;
using FastPrune.Pipeline;

namespace FastPrune;

/// <summary>
/// A model opened with its data: the original network measured and its features collected once, then any genome
/// turned into a pruned, reconstructed and evaluated subnet, and written as an ONNX model. Not thread-safe: one
/// evaluation at a time.
/// </summary>
public sealed class Workspace : IDisposable
{
    private readonly CalibratedModel _model;

    private Workspace(WorkspaceOptions options, CalibratedModel model)
    {
        Options = options;
        _model = model;
        Genes = model.Structure.Genes.Select(GeneInfo.Of).ToList();
    }

    /// <summary>The options it was opened with.</summary>
    public WorkspaceOptions Options { get; }

    /// <summary>The model's genes, in the order genomes list their counts.</summary>
    public IReadOnlyList<GeneInfo> Genes { get; }

    /// <summary>MACs at batch 1 of the unpruned model.</summary>
    public long OriginalMacs => _model.OriginalCost.Macs;

    /// <summary>Parameters of the unpruned model.</summary>
    public long OriginalParams => _model.OriginalCost.Params;

    /// <summary>Accuracy of the unpruned model on the evaluation split (1 when measured as agreement).</summary>
    public double BaselineAccuracy => _model.BaselineAccuracy;

    /// <summary>True when the data has no labels and accuracy is top-1 agreement with the unpruned model.</summary>
    public bool AgreementOnly => _model.AgreementOnly;

    /// <summary>Notes for the user: fewer images than asked, CUDA unavailable, and so on.</summary>
    public IReadOnlyList<string> Warnings => _model.Warnings;

    /// <summary>The reconstruction backend, e.g. "cpu (managed, 2 threads)".</summary>
    public string ReconDevice => _model.ReconDevice;

    /// <summary>Opens the model and data, measures the unpruned model and collects its features.</summary>
    /// <param name="options">Model, data and reconstruction; <see cref="WorkspaceOptions.DataPath"/> is required.</param>
    /// <param name="progress">Receives one line per stage (loading, feature collection).</param>
    /// <param name="cancel">Stops the work; the workspace is then not opened.</param>
    /// <exception cref="FastPruneException">The options, model or data are invalid, or a file cannot be read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Workspace Open(WorkspaceOptions options, IProgress<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Failures.Guard(() => new Workspace(options, CalibratedModel.Open(options.ToPipeline(), progress, cancel)));
    }

    /// <summary>A genome from text: <c>max</c>, one keep-ratio in (0, 1] for every gene (<c>0.5</c>), or one count per gene.</summary>
    /// <param name="text">The genome.</param>
    /// <param name="round">The grid of widths: null places a keep-ratio's widths on multiples of
    /// <see cref="Pruner.DefaultKeepRatioRound"/> (a gene's maximum stays allowed) and takes counts as given; a value places
    /// them on multiples of itself (1: every count) and refuses counts off that grid.</param>
    /// <exception cref="FastPruneException">The text is no genome of this model, or a count is off the grid asked for
    /// (<see cref="FastPruneErrorKind.InvalidOptions"/>).</exception>
    public int[] ParseGenome(string text, int? round = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Failures.Guard(() => Pruner.ParseGenome(text, _model.Structure, round));
    }

    /// <summary>Prunes, reconstructs and evaluates <paramref name="genome"/>.</summary>
    /// <param name="genome">One count per gene (see <see cref="Genes"/>).</param>
    /// <param name="mode">Reconstruction (default: <see cref="WorkspaceOptions.Recon"/>); corrective and exact need the
    /// original layer outputs (<see cref="WorkspaceOptions.KeepLayerOutputs"/>).</param>
    /// <param name="cancel">Stops the work.</param>
    /// <exception cref="FastPruneException">The genome does not fit the genes, the mode needs outputs this workspace did
    /// not keep, or a least-squares system stays singular.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public SubnetReport Evaluate(IReadOnlyList<int> genome, ReconMode? mode = null, CancellationToken cancel = default) =>
        SubnetReport.Of(Run(genome, mode, counts => _model.Evaluate(counts, mode, keepModel: false, cancel)));

    /// <summary>Evaluates genomes in turn, reporting each result as it is measured.</summary>
    /// <param name="genomes">Genomes, one count per gene each.</param>
    /// <param name="mode">Reconstruction (default: <see cref="WorkspaceOptions.Recon"/>).</param>
    /// <param name="progress">Receives each subnet's report when it is done.</param>
    /// <param name="cancel">Stops between (and within) subnets.</param>
    /// <exception cref="FastPruneException">As <see cref="Evaluate"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IReadOnlyList<SubnetReport> EvaluateAll(IEnumerable<IReadOnlyList<int>> genomes, ReconMode? mode = null,
        IProgress<SubnetReport>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var reports = new List<SubnetReport>();
        foreach (var g in genomes)
        {
            cancel.ThrowIfCancellationRequested();
            var r = Evaluate(g, mode, cancel);
            reports.Add(r);
            progress?.Report(r);
        }
        return reports;
    }

    /// <summary>Prunes and reconstructs <paramref name="genome"/>, writes the model to <paramref name="path"/> (a temporary file
    /// in its folder, renamed: never a partial model), then evaluates the file that was written.</summary>
    /// <exception cref="FastPruneException">As <see cref="Evaluate"/>; or the path is the input model, its folder is missing,
    /// or it exists and is not a regular file.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was written.</exception>
    public SubnetReport Write(IReadOnlyList<int> genome, string path, ReconMode? mode = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        Failures.Guard(() => { OutputCheck.Check(path, Options.ModelPath); return 0; });
        return SubnetReport.Of(Run(genome, mode, counts => _model.Write(counts, path, mode, cancel)));
    }

    private SubnetResult Run(IReadOnlyList<int> genome, ReconMode? mode, Func<int[], SubnetResult> run)
    {
        ArgumentNullException.ThrowIfNull(genome);
        var recon = mode ?? Options.Recon;
        if (recon is ReconMode.Corrective or ReconMode.Exact && !_model.KeptLayerOutputs)
            throw Failures.Invalid($"{recon} reconstruction needs the original layer outputs: open the workspace with KeepLayerOutputs = true " +
                $"(or Recon = Corrective or Exact; this one: {Options.Recon})");
        return Failures.Guard(() =>
        {
            var counts = genome.ToArray();
            Genome.Validate(counts, _model.Structure.Genes);
            return run(counts);
        });
    }

    /// <summary>Releases the data sources, the reconstruction engine and ONNX Runtime's options.</summary>
    public void Dispose() => _model.Dispose();
}
