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
        var proto = model;
        if (extraOutputs is { Count: > 0 })
        {
            proto = model.Clone();
            var existing = proto.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in extraOutputs)
                if (existing.Add(name))
                    proto.Graph.Output.Add(new ValueInfoProto
                    {
                        Name = name,
                        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElementType.Float } },
                    });
        }
        if (extraOutputs is { Count: > 0 })
        {
            // ORT's NCHWc layout pass fuses Conv+Add(+Relu) even when the conv's output is a requested graph
            // output, and then returns no value for it; feature collection runs without layout passes.
            using var collect = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                IntraOpNumThreads = options.IntraOpNumThreads,
                InterOpNumThreads = 1,
            };
            _session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto), collect);
        }
        else _session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(proto), options);
        _input = _session.InputNames[0];
    }

    /// <summary>Runs every batch of <paramref name="set"/>, fetching <paramref name="outputs"/>.</summary>
    public void Run(ImageSet set, int batchSize, IReadOnlyList<string> outputs, Action<int, int, IReadOnlyList<OrtValue>> onBatch, CancellationToken cancel)
    {
        var shape = new long[] { 0, set.Shape.Channels, set.Shape.Height, set.Shape.Width };
        // A graph input cannot be fetched as an output (the first layer reads the images): hand the input back itself.
        var names = outputs.Where(n => n != _input).ToArray();
        int inputSlot = outputs.ToList().IndexOf(_input);
        using var runOptions = new RunOptions();
        foreach (var (start, count, images) in set.Batches(batchSize))
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
