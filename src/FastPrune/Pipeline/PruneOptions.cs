using FastPrune.Data;
using FastPrune.Graph.Pruning;
using FastPrune.Kernels;

namespace FastPrune.Pipeline;

/// <summary>Everything a <see cref="CalibratedModel"/> needs: model, data, reconstruction and evaluation settings.</summary>
internal sealed record PruneOptions
{
    /// <summary>The ONNX model.</summary>
    public required string ModelPath { get; init; }
    /// <summary>User-given input shapes (<c>--input-shape</c>) for a model with dynamic dims; the data's size fixes H and W otherwise.</summary>
    public IReadOnlyList<Graph.InputShape> InputShapes { get; init; } = [];
    /// <summary>Calibration (and, without <see cref="EvalDataPath"/>, evaluation) data.</summary>
    public required string DataPath { get; init; }
    /// <summary>Labels file for <see cref="DataPath"/>, when they are not found beside it.</summary>
    public string? LabelsPath { get; init; }
    /// <summary>Separate evaluation data (its labels are found beside it).</summary>
    public string? EvalDataPath { get; init; }
    /// <summary>Calibration images (paper: 1500).</summary>
    public int Calib { get; init; } = 1500;
    /// <summary>Evaluation images (paper: 5000).</summary>
    public int Eval { get; init; } = 5000;
    /// <summary>Seed of the split, of patch/token sampling and of random channel selection: 0 to <see cref="int.MaxValue"/>,
    /// every value its own streams (the range of <c>--seed</c>; a negative seed is refused rather than reinterpreted).</summary>
    public int Seed { get; init; }
    /// <summary>Channel selection.</summary>
    public SelectionMethod Select { get; init; } = SelectionMethod.L1;
    /// <summary>Reconstruction mode.</summary>
    public ReconMode Recon { get; init; } = ReconMode.Corrective;
    /// <summary>Keep the original layer outputs at the sampled rows (what corrective and exact reconstruction solve
    /// against; memory: calibration images × rows per image × output channels per layer); null: when <see cref="Recon"/>
    /// needs them.</summary>
    public bool? KeepLayerOutputs { get; init; }
    /// <summary>Whether the original layer outputs are kept: <see cref="KeepLayerOutputs"/>, or what <see cref="Recon"/> needs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool KeepsLayerOutputs => KeepLayerOutputs ?? Recon is ReconMode.Corrective or ReconMode.Exact;
    /// <summary>Stages of corrective reconstruction (consecutive groups of layers, each re-collected once); 0: one per layer.</summary>
    public int CorrectivePasses { get; init; }
    /// <summary>Calibration images corrective reconstruction re-collects per stage (0: all); the exact reference uses all.</summary>
    public int CorrectiveImages { get; init; } = 256;
    /// <summary>Device of Gram accumulation and solves.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    /// <summary>Evaluate with ONNX Runtime's CUDA execution provider.</summary>
    public bool EvalOnCuda { get; init; }
    /// <summary>Sampled positions per image for conv layers (paper: 10).</summary>
    public int PatchesPerImage { get; init; } = 10;
    /// <summary>Random tokens per image besides the cls token for linear layers (paper: 19).</summary>
    public int TokensPerImage { get; init; } = 19;
    /// <summary>Ridge α: λ = α·mean(diag G).</summary>
    public double Alpha { get; init; } = 1e-4;
    /// <summary>Images per ONNX Runtime run.</summary>
    public int BatchSize { get; init; } = 100;
    /// <summary>Threads of ONNX Runtime's CPU provider (0: all cores).</summary>
    public int Threads { get; init; }
    /// <summary>Largest decoded split kept in memory; larger splits are streamed.</summary>
    public long MemoryBudgetBytes { get; init; } = 1L << 30;
    /// <summary>
    /// Memory the calibrated model may use (0: what the machine or container allows). Feature collection batches, the
    /// activations held between reconstruction stages and the decoded splits are sized from it, and a calibrated model whose
    /// Grams and stored outputs alone cannot fit is refused before any work.
    /// </summary>
    public long MemoryLimitBytes { get; init; }
    /// <summary>Folder for activations that do not fit in memory during reconstruction (null: the system temp folder).</summary>
    public string? SpillFolder { get; init; }
    /// <summary>Tests only: corrective and exact stages each run the network prefix they need (the older, O(L²) reference).</summary>
    internal bool PrefixPasses { get; init; }
    /// <summary>Tests only: bytes of activations held in memory between stages (negative: from the memory plan).</summary>
    internal long FrontierBudgetBytes { get; init; } = -1;
    /// <summary>Fold BatchNormalization into the preceding convs before anything else (older exporters leave it unfused).</summary>
    public bool FoldBatchNorm { get; init; }
    /// <summary>Preprocessing of image folders and IDX files.</summary>
    public PreprocessOptions? Preprocess { get; init; }
}
