using FastPrune.Graph;
using FastPrune.Graph.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace FastPrune.Pipeline;

/// <summary>
/// Runs a model in ONNX Runtime over an <see cref="ImageSet"/>, handing each batch's requested
/// outputs to a callback. Extra outputs (layer inputs and outputs for feature collection) are
/// added to a copy of the graph, so intermediate tensors can be read without touching the model.
/// </summary>
internal sealed class ModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;

    public ModelRunner(ModelProto model, SessionOptions options, IReadOnlyCollection<string>? extraOutputs = null)
    {
        var proto = extraOutputs is { Count: > 0 } ? Prefix(model, extraOutputs) : model;
        if (extraOutputs is { Count: > 0 })
        {
            using var collect = CollectOptions(options);
            _session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto), collect);
        }
        else _session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto), options);
        _input = _session.InputNames[0];
    }

    /// <summary>Runs the model file at <paramref name="path"/> as it is on disk.</summary>
    public ModelRunner(string path, SessionOptions options)
    {
        _session = new InferenceSession(path, options);
        _input = _session.InputNames[0];
    }

    /// <summary>
    /// A copy whose outputs are exactly <paramref name="outputs"/>, holding only the nodes they need (walked
    /// back with a work list): a corrective stage that needs the first layers' inputs runs only that prefix.
    /// </summary>
    private static ModelProto Prefix(ModelProto model, IReadOnlyCollection<string> outputs)
    {
        var g = model.Graph;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < g.Node.Count; i++)
            foreach (var o in g.Node[i].Output) producer[o] = i;
        var needed = new bool[g.Node.Count];
        var work = new Stack<string>(outputs);
        while (work.Count > 0)
            if (producer.TryGetValue(work.Pop(), out var n) && !needed[n])
            {
                needed[n] = true;
                foreach (var i in g.Node[n].Input) work.Push(i);
            }
        // A shallow model: only the graph differs, and the nodes and initializers are shared, not cloned.
        var copy = new ModelProto { IrVersion = model.IrVersion, ProducerName = model.ProducerName, Graph = new GraphProto { Name = g.Name } };
        copy.OpsetImport.AddRange(model.OpsetImport);
        copy.Graph.Input.AddRange(g.Input);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < g.Node.Count; i++)
            if (needed[i])
            {
                copy.Graph.Node.Add(g.Node[i]);
                foreach (var x in g.Node[i].Input) used.Add(x);
            }
        copy.Graph.Initializer.AddRange(g.Initializer.Where(t => used.Contains(t.Name)));
        foreach (var name in outputs)
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElementType.Float } },
            });
        return copy;
    }

    /// <summary>
    /// CPU options for sessions whose outputs are intermediate tensors: ORT's NCHWc layout pass fuses Conv+Add(+Relu)
    /// even when the conv's output is a requested graph output, and then returns no value for it, so these sessions run
    /// without layout passes. The memory arena is off: collection batches are large and short-lived, and an arena would
    /// keep the largest one resident for the session's life. The caller disposes the options.
    /// </summary>
    public static SessionOptions CollectOptions(SessionOptions options)
    {
        var collect = FastPrune.Runtime.OrtSessionFactory.CreateOptions(FastPrune.Runtime.InferenceEngine.OrtCpu, options.IntraOpNumThreads);
        collect.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
        collect.EnableCpuMemArena = false;
        return collect;
    }

    /// <summary>Runs every batch of <paramref name="set"/>, fetching <paramref name="outputs"/>.</summary>
    public void Run(ImageSet set, int batchSize, IReadOnlyList<string> outputs, Action<int, int, IReadOnlyList<OrtValue>> onBatch, CancellationToken cancel, int limit = int.MaxValue)
    {
        var shape = new long[] { 0, set.Shape.Channels, set.Shape.Height, set.Shape.Width };
        // A graph input cannot be fetched as an output (the first layer reads the images): hand the input back itself.
        var names = outputs.Where(n => n != _input).ToArray();
        int inputSlot = outputs.ToList().IndexOf(_input);
        using var runOptions = new RunOptions();
        // Exactly `limit` images, not whole batches: batch sizes follow the machine's memory, results must not.
        foreach (var (start, count, images) in set.Batches(batchSize, limit))
        {
            cancel.ThrowIfCancellationRequested();
            shape[0] = count;
            // The batch memory is pinned by CreateTensorValueFromMemory for the value's lifetime.
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshalHelper.AsWritable(images), shape);
            using var results = _session.Run(runOptions, [_input], [input], names);
            if (inputSlot < 0)
            {
                onBatch(start, count, results);
                continue;
            }
            var values = new List<OrtValue>(results);
            values.Insert(inputSlot, input);
            onBatch(start, count, values);
        }
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>ONNX Runtime takes Memory&lt;T&gt; even for inputs it only reads.</summary>
internal static class MemoryMarshalHelper
{
    public static Memory<float> AsWritable(ReadOnlyMemory<float> m) => System.Runtime.InteropServices.MemoryMarshal.AsMemory(m);
}
