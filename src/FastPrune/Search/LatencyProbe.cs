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
internal sealed partial class LatencyProbe(BenchmarkOptions options, string folder)
{
    /// <summary>Untimed and timed runs per layer: few, because a layer takes micro- to milliseconds and there are many.</summary>
    public const int Warmup = 2, Rounds = 7;

    /// <summary>Layers timed so far.</summary>
    public int Timed { get; private set; }

    /// <summary>Seconds spent building, loading and timing layers so far.</summary>
    public double Seconds { get; private set; }

    /// <summary>Most layers timed together in one model (<see cref="TimeMany"/>).</summary>
    private const int MaxPerModel = 32;

    /// <summary>Most bytes of activations and weights in one model of several layers (a larger layer is timed alone).</summary>
    private const long MaxBytesPerModel = 256L << 20;

    /// <summary>The one-node model of <paramref name="layer"/>.</summary>
    public static OnnxModel Build(LatencyLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var b = new GraphBuilder("latency-probe", opset: (int)layer.Opset);
        if (layer.Domain.Length > 0) b.ExtraOpsets[layer.Domain] = 1;
        AddLayer(b, layer, "", new Xoshiro256(1));
        return OnnxModel.FromProto(b.Build());
    }

    /// <summary>One model of independent nodes, layer k's tensors and node named with the prefix <c>L{k}_</c> (ONNX Runtime
    /// names a node it rewrites after the node or its output, so its profile events keep the prefix).</summary>
    public static OnnxModel Build(IReadOnlyList<LatencyLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var b = new GraphBuilder("latency-probe", opset: (int)layers.Max(l => l.Opset));
        foreach (var domain in layers.Select(l => l.Domain).Where(d => d.Length > 0).Distinct()) b.ExtraOpsets[domain] = 1;
        var rng = new Xoshiro256(1);
        for (int k = 0; k < layers.Count; k++) AddLayer(b, layers[k], Prefix(k), rng);
        return OnnxModel.FromProto(b.Build());
    }

    private static string Prefix(int k) => "L" + k.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_";

    private static void AddLayer(GraphBuilder b, LatencyLayer layer, string p, Xoshiro256 rng)
    {
        var inputs = new string[layer.Shapes.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var dims = layer.Shapes[i];
            if (layer.IsWeight[i])
            {
                long count = dims.Aggregate(1L, (a, d) => a * d);
                // Small non-zero values: zeros or denormals would take other paths in some kernels.
                var data = new float[count];
                for (long k = 0; k < count; k++) data[k] = (float)(rng.NextDouble() - 0.5) * 0.1f;
                inputs[i] = b.Initializer($"{p}w{i}", dims, data);
            }
            else
            {
                inputs[i] = dims.Length == 0 && i > 0 ? "" : b.Input($"{p}x{i}", ElemType.Float, dims.Select(d => (DimSpec)d).ToArray());
            }
        }
        string y = b.Node(layer.Op, inputs, layer.Attributes.Select(a => a.Clone()).ToArray(), name: p + "layer", output: p + "y", domain: layer.Domain);
        b.Output(y, ElemType.Float, layer.OutputShape.Select(d => (DimSpec)d).ToArray());
    }

    /// <summary>Bytes of a layer's inputs, weights and output.</summary>
    private static long Bytes(LatencyLayer l) => 4 * l.Shapes.Append(l.OutputShape).Sum(s => s.Aggregate(1L, (a, d) => a * d));

    /// <summary>How this probe's entries are timed (part of a table's key): <c>kernel</c> on ONNX Runtime CPU, <c>wall</c> elsewhere.</summary>
    public static string Kind(InferenceEngine engine) => engine == InferenceEngine.OrtCpu ? "kernel" : "wall";

    /// <summary>Milliseconds of <paramref name="layer"/>: its kernels' time in the fastest timed run (ONNX Runtime CPU) or
    /// the fastest timed run whole (other engines).</summary>
    /// <exception cref="BenchmarkException">The engine cannot load or run the layer, or its profile lacks the layer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public double Time(LatencyLayer layer, CancellationToken cancel = default)
    {
        var model = Build(layer);
        // The minimum, not the median: a layer is timed once for the whole run, and on a machine shared with other work
        // the least disturbed of its runs is the one that says what the layer itself costs.
        double ms = options.Engine == InferenceEngine.OrtCpu
            ? Run(model, profiled: true, (profile, _) => KernelMs(profile!, layer.Op), cancel)
            : Run(model, profiled: false, (_, runs) => runs.Min(), cancel);
        Timed++;
        return ms;
    }

    /// <summary>Writes <paramref name="model"/> to a temporary file, warms it up and times it (with ONNX Runtime's
    /// profiler when <paramref name="profiled"/>), and reads the result from the profile file and the runs' milliseconds;
    /// both files are deleted again.</summary>
    private T Run<T>(OnnxModel model, bool profiled, Func<string?, double[], T> read, CancellationToken cancel)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        string path = Path.Combine(folder, $".latency-layer-{Guid.NewGuid():N}.onnx");
        string? profile = null;
        try
        {
            model.Save(path);
            int batch = InputSpec.FixedBatch(model) ?? 1;
            var inputs = InputSpec.ForBatch(model, batch);
            double[] ms;
            using (var runner = profiled
                ? new OrtBatchRunner(path, inputs, options with { Batch = batch }, Path.ChangeExtension(path, null))
                : ThroughputBenchmark.OpenRunner(path, inputs, options with { Batch = batch }))
            {
                ms = ThroughputBenchmark.TimeInterleaved([runner], Warmup, Rounds, cancel)[0];
                if (runner is OrtBatchRunner ort && profiled) profile = ort.EndProfiling();
            }
            return read(profile, ms);
        }
        finally
        {
            File.Delete(path);
            if (profile is not null) File.Delete(profile);
            Seconds += sw.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Milliseconds of each of <paramref name="layers"/>, as <see cref="Time"/> gives them. On ONNX Runtime CPU
    /// up to 32 layers (256 MB) are timed in one model, their kernel times told apart in the profile by node name: one
    /// session and one set of runs for many layers, where a search meets a dozen new configurations per subnet.</summary>
    /// <exception cref="BenchmarkException">The engine cannot load or run a layer, or its profile lacks it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was signalled.</exception>
    public double[] TimeMany(IReadOnlyList<LatencyLayer> layers, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var ms = new double[layers.Count];
        if (options.Engine != InferenceEngine.OrtCpu)
        {
            for (int i = 0; i < ms.Length; i++) ms[i] = Time(layers[i], cancel);
            return ms;
        }
        var chunk = new List<int>();
        long bytes = 0;
        for (int i = 0; i <= layers.Count; i++)
        {
            if (i == layers.Count || chunk.Count == MaxPerModel || (chunk.Count > 0 && bytes + Bytes(layers[i]) > MaxBytesPerModel))
            {
                if (chunk.Count == 1) ms[chunk[0]] = Time(layers[chunk[0]], cancel);
                else if (chunk.Count > 1) TimeTogether(layers, chunk, ms, cancel);
                chunk.Clear();
                bytes = 0;
            }
            if (i == layers.Count) break;
            chunk.Add(i);
            bytes += Bytes(layers[i]);
        }
        return ms;
    }

    private void TimeTogether(IReadOnlyList<LatencyLayer> layers, List<int> chunk, double[] ms, CancellationToken cancel)
    {
        var found = Run(Build(chunk.Select(i => layers[i]).ToList()), profiled: true, (profile, _) => KernelMsByLayer(profile!, chunk.Count), cancel);
        Timed += found.Count(f => f is not null);
        // A layer whose node ONNX Runtime renamed beyond its prefix is timed alone (by its op there).
        for (int k = 0; k < chunk.Count; k++) ms[chunk[k]] = found[k] ?? Time(layers[chunk[k]], cancel);
    }
}
