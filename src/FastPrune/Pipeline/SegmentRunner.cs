using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Pipeline;

/// <summary>
/// One stage segment's ONNX Runtime session, run batch after batch over stored frontier tensors. Outputs land in
/// managed arrays: buffers reused from batch to batch (borrowed: a store copies or writes them out), or fresh arrays
/// handed over to the store that will hold them. Once a batch of some size has shown the outputs' shapes, later
/// batches of that size get their output arrays bound before the run, so ONNX Runtime writes into them directly
/// instead of into its own buffers that would then be copied.
/// </summary>
internal sealed class SegmentRunner(InferenceSession? session, string[] inputs, string[] outputs) : IDisposable
{
    private readonly byte[][] _buffers = outputs.Select(_ => Array.Empty<byte>()).ToArray();
    private readonly Dictionary<int, (TensorElementType Type, long[] Shape)[]> _shapes = [];

    /// <summary>Runs one batch; a segment that computes nothing returns no tensors.</summary>
    /// <param name="batch">The frontier batch holding the segment's inputs.</param>
    /// <param name="handOver">The outputs go into fresh arrays the caller hands over to a store.</param>
    /// <param name="runOptions">Options of the run.</param>
    public StoredTensor[] Run(StoredBatch batch, bool handOver, RunOptions runOptions)
    {
        if (session is null) return [];
        var handles = new List<GCHandle>(inputs.Length + outputs.Length);
        var values = new List<OrtValue>(inputs.Length);
        var bound = new List<OrtValue>(outputs.Length);
        try
        {
            foreach (var name in inputs)
                values.Add(Pin(batch[name].Data, batch[name].Type, batch[name].Shape, handles));
            if (_shapes.TryGetValue(batch.Count, out var known) && known.Length == outputs.Length)
            {
                var stored = new StoredTensor[outputs.Length];
                for (int i = 0; i < outputs.Length; i++)
                {
                    var (type, shape) = known[i];
                    stored[i] = new StoredTensor(outputs[i], type, shape, Buffer(i, Bytes(type, shape), handOver), Borrowed: !handOver);
                    bound.Add(Pin(stored[i].Data, type, shape, handles));
                }
                try
                {
                    using (ReconProfile.Time("run"))
                        session.Run(runOptions, inputs, values, outputs, bound);
                    return stored;
                }
                catch (OnnxRuntimeException)
                {
                    // An output whose shape depends on the data, not only on the batch: run unbound from now on.
                    _shapes[batch.Count] = [];
                }
            }
            var run = ReconProfile.Time("run");
            using var results = session.Run(runOptions, inputs, values, outputs);
            run.Dispose();
            using var copy = ReconProfile.Time("copy-out");
            var first = new StoredTensor[outputs.Length];
            for (int i = 0; i < outputs.Length; i++)
            {
                var info = results[i].GetTensorTypeAndShape();
                var raw = results[i].GetTensorMutableRawData();
                var data = Buffer(i, raw.Length, handOver);
                raw.CopyTo(data);
                first[i] = new StoredTensor(outputs[i], info.ElementDataType, info.Shape, data, Borrowed: !handOver);
            }
            // Shapes follow from the input shapes, which batches of one size share (a segment's widths are fixed).
            _shapes.TryAdd(batch.Count, first.Select(t => (t.Type, t.Shape)).ToArray());
            return first;
        }
        finally
        {
            foreach (var v in bound) v.Dispose();
            foreach (var v in values) v.Dispose();
            foreach (var h in handles) h.Free();
        }
    }

    /// <summary>Disposes the session.</summary>
    public void Dispose() => session?.Dispose();

    private byte[] Buffer(int i, int bytes, bool handOver)
    {
        // Uninitialised: every byte is overwritten at once, and zeroing a fresh array would touch its pages twice.
        if (handOver) return GC.AllocateUninitializedArray<byte>(bytes);
        if (_buffers[i].Length != bytes) _buffers[i] = GC.AllocateUninitializedArray<byte>(bytes);
        return _buffers[i];
    }

    private static OrtValue Pin(byte[] data, TensorElementType type, long[] shape, List<GCHandle> handles)
    {
        var h = GCHandle.Alloc(data, GCHandleType.Pinned);
        handles.Add(h);
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, type, shape, h.AddrOfPinnedObject(), data.Length);
    }

    private static int Bytes(TensorElementType type, long[] shape)
    {
        int size = type switch
        {
            TensorElementType.Double or TensorElementType.Int64 or TensorElementType.UInt64 => 8,
            TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
            TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
            _ => 1,
        };
        return checked((int)shape.Aggregate((long)size, (a, d) => a * d));
    }
}
