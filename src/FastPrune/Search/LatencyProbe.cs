using System.Text.Json;
using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// Times one <see cref="LatencyLayer"/> on an engine: a one-node model with the layer's shapes and attributes (weights
/// as seeded random initializers, activations as inputs) is written to a temporary file, loaded, warmed up and timed.
/// On ONNX Runtime CPU the entry is the layer's own kernel time in ONNX Runtime's profile (the fastest timed run): a lone
/// node also pays what a network pays once or not at all (the layout reorders around a blocked convolution, the call,
/// its output's first touch), which made lone layers up to 2.5× slower than the same layer inside the network; on the
/// other engines it is the fastest timed run whole, and the table's calibration absorbs the systematic part.
/// </summary>
internal sealed class LatencyProbe(BenchmarkOptions options, string folder)
{
    /// <summary>Untimed and timed runs per layer: few, because a layer takes micro- to milliseconds and there are many.</summary>
    public const int Warmup = 2, Rounds = 7;

    /// <summary>Layers timed so far.</summary>
    public int Timed { get; private set; }

    /// <summary>Seconds spent building, loading and timing layers so far.</summary>
    public double Seconds { get; private set; }

    /// <summary>The one-node model of <paramref name="layer"/>.</summary>
    public static OnnxModel Build(LatencyLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var b = new GraphBuilder("latency-probe", opset: (int)layer.Opset);
        if (layer.Domain.Length > 0) b.ExtraOpsets[layer.Domain] = 1;
        var inputs = new string[layer.Shapes.Length];
        var rng = new Xoshiro256(1);
        for (int i = 0; i < inputs.Length; i++)
        {
            var dims = layer.Shapes[i];
            if (layer.IsWeight[i])
            {
                long count = dims.Aggregate(1L, (a, d) => a * d);
                // Small non-zero values: zeros or denormals would take other paths in some kernels.
                var data = new float[count];
                for (long k = 0; k < count; k++) data[k] = (float)(rng.NextDouble() - 0.5) * 0.1f;
                inputs[i] = b.Initializer($"w{i}", dims, data);
            }
            else
            {
                inputs[i] = dims.Length == 0 && i > 0 ? "" : b.Input($"x{i}", ElemType.Float, dims.Select(d => (DimSpec)d).ToArray());
            }
        }
        string y = b.Node(layer.Op, inputs, layer.Attributes.Select(a => a.Clone()).ToArray(), name: "layer", output: "y", domain: layer.Domain);
        b.Output(y, ElemType.Float, layer.OutputShape.Select(d => (DimSpec)d).ToArray());
        return OnnxModel.FromProto(b.Build());
    }

    /// <summary>How this probe's entries are timed (part of a table's key): <c>kernel</c> on ONNX Runtime CPU, <c>wall</c> elsewhere.</summary>
    public static string Kind(InferenceEngine engine) => engine == InferenceEngine.OrtCpu ? "kernel" : "wall";

    /// <summary>Milliseconds of <paramref name="layer"/>: its kernels' time in the fastest timed run (ONNX Runtime CPU) or
    /// the fastest timed run whole (other engines).</summary>
    /// <exception cref="BenchmarkException">The engine cannot load or run the layer, or its profile lacks the layer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public double Time(LatencyLayer layer, CancellationToken cancel = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = Build(layer);
        string path = Path.Combine(folder, $".latency-layer-{Guid.NewGuid():N}.onnx");
        string? profile = null;
        try
        {
            model.Save(path);
            int batch = InputSpec.FixedBatch(model) ?? 1;
            var inputs = InputSpec.ForBatch(model, batch);
            if (options.Engine != InferenceEngine.OrtCpu)
            {
                using var runner = ThroughputBenchmark.OpenRunner(path, inputs, options with { Batch = batch });
                var ms = ThroughputBenchmark.TimeInterleaved([runner], Warmup, Rounds, cancel)[0];
                Timed++;
                // The minimum, not the median: a layer is timed once for the whole run, and on a machine shared with other
                // work the least disturbed of its runs is the one that says what the layer itself costs.
                return ms.Min();
            }
            using (var runner = new OrtBatchRunner(path, inputs, options with { Batch = batch }, Path.ChangeExtension(path, null)))
            {
                ThroughputBenchmark.TimeInterleaved([runner], Warmup, Rounds, cancel);
                profile = runner.EndProfiling();
            }
            Timed++;
            return KernelMs(profile, layer.Op);
        }
        finally
        {
            File.Delete(path);
            if (profile is not null) File.Delete(profile);
            Seconds += sw.Elapsed.TotalSeconds;
        }
    }

    /// <summary>The least, over the timed runs recorded in ONNX Runtime's profile <paramref name="profilePath"/>, of the
    /// summed kernel time of the nodes whose op is <paramref name="op"/> (the layer itself, not the reorders around it).</summary>
    /// <exception cref="BenchmarkException">The profile does not hold the same number of such kernels in every run.</exception>
    internal static double KernelMs(string profilePath, string op)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(profilePath));
        var ms = new List<double>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.TryGetProperty("cat", out var cat) && cat.GetString() == "Node"
                && e.TryGetProperty("name", out var name) && name.GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal)
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o) && o.GetString() == op)
                ms.Add(e.GetProperty("dur").GetDouble() / 1000);
        }
        const int runs = Warmup + Rounds;
        if (ms.Count == 0 || ms.Count % runs != 0)
            throw new BenchmarkException(BenchmarkFailure.ModelFailed, $"ONNX Runtime's profile holds {ms.Count} '{op}' kernel(s) for {runs} runs of the layer", profilePath);
        int perRun = ms.Count / runs;
        return Enumerable.Range(Warmup, Rounds).Min(r => ms.Skip(r * perRun).Take(perRun).Sum());
    }
}
