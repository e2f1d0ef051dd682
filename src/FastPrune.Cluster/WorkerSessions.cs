using System.Text.Json;
using FastPrune.Kernels;
using FastPrune.Pipeline;
using Orleans.Runtime;

namespace FastPrune.Cluster;

/// <summary>
/// The calibrated model a worker silo holds: opened once per run identity (the options the coordinator sends, with
/// this worker's device and threads), kept while genomes of that run arrive, replaced when another run's do.
/// </summary>
internal sealed class WorkerSessions(WorkerSettings settings, ILocalSiloDetails silo) : IWorkerSessions, IDisposable
{
    private readonly Lock _gate = new();
    private string? _spec;
    private CalibratedModel? _model;

    /// <inheritdoc />
    public CalibratedModel For(string spec, CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_spec == spec && _model is not null) return _model;
            _model?.Dispose();
            _model = null;
            var options = JsonSerializer.Deserialize<PruneOptions>(spec) ?? throw new ArgumentException("empty run options", nameof(spec));
            // Workers read the coordinator's files by path (bench/README: shipping them costs more than it saves).
            foreach (var path in new[] { options.ModelPath, options.DataPath, options.LabelsPath, options.EvalDataPath })
                if (path is not null && !File.Exists(path) && !Directory.Exists(path))
                    throw new FastPruneException(FastPruneErrorKind.FileSystem,
                        $"worker {silo.SiloAddress.ToParsableString()} on {Environment.MachineName}: cannot see {path} (workers read the coordinator's files at the same paths: a shared file system)");
            options = options with { Threads = settings.Threads };
            if (settings.Device is ComputeTarget.Cpu) options = options with { Device = ComputeDevice.Cpu, EvalOnCuda = false };
            if (settings.Device is ComputeTarget.Cuda) options = options with { Device = ComputeDevice.Cuda, EvalOnCuda = true };
            _model = CalibratedModel.Open(options, null, cancel);
            _spec = spec;
            return _model;
        }
    }

    /// <summary>Closes the calibrated model.</summary>
    public void Dispose()
    {
        lock (_gate) { _model?.Dispose(); _model = null; _spec = null; }
    }
}

/// <summary>What a worker evaluates with: its ONNX Runtime threads (0: all cores) and device.</summary>
internal sealed record WorkerSettings(int Threads, ComputeTarget Device);
