using System.Text.Json;
using FastPrune.Kernels;
using FastPrune.Pipeline;

namespace FastPrune.Cluster;

/// <summary>
/// The calibrated model a worker silo holds: opened once per run identity (the options the coordinator sends, with
/// this worker's device and threads), kept while genomes of that run arrive, replaced when another run's do.
/// </summary>
internal sealed class WorkerSessions(WorkerSettings settings) : IDisposable
{
    private readonly Lock _gate = new();
    private string? _spec;
    private CalibratedModel? _model;

    /// <summary>The calibrated model of the run <paramref name="spec"/>, opened on first use.</summary>
    public CalibratedModel For(string spec, CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_spec == spec && _model is not null) return _model;
            _model?.Dispose();
            _model = null;
            var options = JsonSerializer.Deserialize<PruneOptions>(spec) ?? throw new ArgumentException("empty run options", nameof(spec));
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
internal sealed record WorkerSettings(int Threads, ComputeTarget Device)
{
    /// <summary>A wait before every evaluation: a stalled device, which the tests need to lose a subnet for sure.</summary>
    public TimeSpan Stall { get; init; }
}
