using FastPrune.Pipeline;

namespace FastPrune.Search;

/// <summary>Which search produces the front.</summary>
public enum SearchKind
{
    /// <summary>NSGA-III (paper section 3.5).</summary>
    Nsga3,
    /// <summary>The same number of random genomes (the paper's Figure 4a baseline).</summary>
    Random,
}

/// <summary>The cost objective minimised beside the error.</summary>
public enum CostObjective
{
    /// <summary>MACs at batch 1.</summary>
    Macs,
    /// <summary>Parameters.</summary>
    Params,
    /// <summary>Measured latency of one batch on the bench engine (<see cref="RunOptions.BenchEngine"/>, default ONNX Runtime
    /// CPU) at <see cref="RunOptions.BenchBatch"/> (a fixed-batch model: its own) with the run's threads.</summary>
    Latency,
}

/// <summary>Options of <see cref="SearchRun"/>: the calibrated model's (<see cref="Pipeline.PruneOptions"/>), plus the search's.</summary>
internal sealed record RunOptions
{
    /// <summary>Model, data and reconstruction settings; <see cref="PruneOptions.Recon"/> is the mode of the written models.</summary>
    public required PruneOptions Prune { get; init; }
    /// <summary>Output folder.</summary>
    public required string OutDir { get; init; }
    /// <summary>Continue the run in <see cref="OutDir"/>.</summary>
    public bool Resume { get; init; }
    /// <summary>Subnets evaluated in total (paper: about 1500).</summary>
    public int Budget { get; init; } = 1564;
    /// <summary>Cost targets (MACs, params or measured latency) as fractions of the original's; one model is written per target.</summary>
    public IReadOnlyList<double> Targets { get; init; } = [0.5, 0.3];
    /// <summary>NSGA-III or random.</summary>
    public SearchKind Search { get; init; } = SearchKind.Nsga3;
    /// <summary>Cost objective.</summary>
    public CostObjective Objective { get; init; } = CostObjective.Macs;
    /// <summary>Reconstruction used to rank subnets inside the search (the written models use <see cref="PruneOptions.Recon"/>).</summary>
    public ReconMode SearchRecon { get; init; } = ReconMode.Paper;
    /// <summary>Initial population (paper: 64).</summary>
    public int Population { get; init; } = 64;
    /// <summary>Offspring per generation (paper: 50).</summary>
    public int Offspring { get; init; } = 50;
    /// <summary>Separate test data on which the written models are measured (never seen by the search).</summary>
    public string? TestDataPath { get; init; }
    /// <summary>Engine that measures the written models' throughput for front.json; null: not measured.</summary>
    public FastPrune.Runtime.InferenceEngine? BenchEngine { get; init; }
    /// <summary>How a latency-objective run knows each subnet's latency: timed whole, or predicted from a per-layer table
    /// (default: <see cref="LatencySource.Mix"/>, the table to rank and the written models re-measured).</summary>
    public LatencySource LatencySource { get; init; } = LatencySource.Mix;
    /// <summary>Batch of that measurement and of the latency objective's (a model fixed to a batch runs at its own).</summary>
    public int BenchBatch { get; init; } = 64;
    /// <summary>Best candidates per target re-evaluated with the final reconstruction before one is written.</summary>
    public int PolishCandidates { get; init; } = 3;
    /// <summary>Genes rounded to multiples of this (1: every count), for vector-friendly channel counts.</summary>
    public int Round { get; init; } = 1;
}
