using FastPrune.Graph;
using FastPrune.Graph.Building;
using FastPrune.Runtime;

namespace FastPrune.Search;

/// <summary>
/// Times one <see cref="LatencyLayer"/> on an engine: a one-node model with the layer's shapes and attributes (weights
/// as seeded random initializers, activations as inputs) is written to a temporary file, loaded, warmed up and timed;
/// the fastest run is the table entry.
/// </summary>
/// <remarks>A lone node pays what the whole network pays once (ONNX Runtime CPU's layout reorders around a blocked
/// convolution, the call overhead); the table's calibration against whole-model timings absorbs the systematic part.</remarks>
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

    /// <summary>Milliseconds of the fastest timed run of <paramref name="layer"/>.</summary>
    /// <exception cref="BenchmarkException">The engine cannot load or run the layer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public double Time(LatencyLayer layer, CancellationToken cancel = default)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = Build(layer);
        string path = Path.Combine(folder, $".latency-layer-{Guid.NewGuid():N}.onnx");
        try
        {
            model.Save(path);
            int batch = InputSpec.FixedBatch(model) ?? 1;
            using var runner = ThroughputBenchmark.OpenRunner(path, InputSpec.ForBatch(model, batch), options with { Batch = batch });
            var ms = ThroughputBenchmark.TimeInterleaved([runner], Warmup, Rounds, cancel)[0];
            Timed++;
            // The minimum, not the median: a layer is timed once for the whole run, and on a machine shared with other
            // work the least disturbed of its runs is the one that says what the layer itself costs.
            return ms.Min();
        }
        finally
        {
            File.Delete(path);
            Seconds += sw.Elapsed.TotalSeconds;
        }
    }
}
