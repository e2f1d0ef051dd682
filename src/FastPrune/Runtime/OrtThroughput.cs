using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Runtime;

/// <summary>
/// Times ONNX Runtime runs through an <see cref="OrtIoBinding"/>: inputs are allocated and filled once,
/// outputs are allocated by the first run and re-bound, so a timed run is the run call and nothing else.
/// </summary>
internal static class OrtThroughput
{
    /// <summary>Milliseconds of each timed run.</summary>
    public static double[] Measure(string modelPath, IReadOnlyList<InputSpec> inputs, BenchmarkOptions o, CancellationToken cancel)
    {
        bool cuda = o.Engine == InferenceEngine.OrtCuda;
        using var session = OrtSessionFactory.Create(modelPath, o.Engine, o.Threads);
        foreach (var spec in inputs)
        {
            if (!session.InputMetadata.ContainsKey(spec.Name))
                throw new BenchmarkException(BenchmarkFailure.ModelFailed, $"ONNX Runtime does not list graph input '{spec.Name}' as an input", modelPath);
        }

        // On CUDA the input lives in page-locked host memory so the copy ONNX Runtime makes inside each run is
        // one DMA transfer, as in a serving pipeline; outputs stay on the device. On CPU, ORT's own allocator
        // gives memory the GC never moves.
        using var pinned = cuda ? TryCudaPinnedAllocator(session) : null;
        var allocator = pinned ?? OrtAllocator.DefaultInstance;
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                values.Add(Allocate(allocator, inputs[i], modelPath, o));
                InputFill.Fill(values[i].GetTensorMutableRawData(), inputs[i].ElementType, seed: 1234 + i);
            }
            return Time(session, inputs, values, cuda, o, modelPath, cancel);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static double[] Time(InferenceSession session, IReadOnlyList<InputSpec> inputs, List<OrtValue> values,
        bool cuda, BenchmarkOptions o, string modelPath, CancellationToken cancel)
    {
        using var binding = session.CreateIoBinding();
        using var outputInfo = cuda ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default) : null;
        using var runOptions = new RunOptions();
        string[] outputNames = session.OutputNames.ToArray();
        IDisposableReadOnlyCollection<OrtValue>? outputs = null;
        var ms = new double[o.Iterations];
        try
        {
            for (int i = 0; i < inputs.Count; i++) binding.BindInput(inputs[i].Name, values[i]);
            foreach (string name in outputNames) binding.BindOutputToDevice(name, outputInfo ?? OrtMemoryInfo.DefaultInstance);
            for (int r = 0; r < o.Warmup + o.Iterations; r++)
            {
                cancel.ThrowIfCancellationRequested();
                long t0 = Stopwatch.GetTimestamp();
                session.RunWithBinding(runOptions, binding);
                if (cuda) binding.SynchronizeBoundOutputs();
                long t1 = Stopwatch.GetTimestamp();
                if (r >= o.Warmup) ms[r - o.Warmup] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                if (outputs is null)
                {
                    // Re-bind what the first run allocated: later runs write into it instead of allocating.
                    outputs = binding.GetOutputValues();
                    binding.ClearBoundOutputs();
                    for (int k = 0; k < outputNames.Length; k++) binding.BindOutput(outputNames[k], outputs[k]);
                }
            }
            return ms;
        }
        catch (OnnxRuntimeException e)
        {
            throw RunFailure(e, o, modelPath);
        }
        finally
        {
            outputs?.Dispose();
        }
    }

    private static OrtValue Allocate(OrtAllocator allocator, InputSpec spec, string modelPath, BenchmarkOptions o)
    {
        try
        {
            return OrtValue.CreateAllocatedTensorValue(allocator, (TensorElementType)spec.ElementType, spec.Shape.ToArray());
        }
        catch (Exception e) when (e is OnnxRuntimeException or OutOfMemoryException)
        {
            throw new BenchmarkException(BenchmarkFailure.OutOfMemory,
                $"batch {o.Batch} does not fit on {o.Engine.ToName()}: cannot allocate input '{spec.Name}' [{string.Join(",", spec.Shape)}]: {BenchmarkException.OneLine(e.Message)}",
                modelPath, e);
        }
    }

    private static BenchmarkException RunFailure(OnnxRuntimeException e, BenchmarkOptions o, string modelPath)
    {
        string text = BenchmarkException.OneLine(e.Message);
        bool oom = text.Contains("allocate", StringComparison.OrdinalIgnoreCase)
            || text.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            || text.Contains("bad_alloc", StringComparison.Ordinal);
        return oom
            ? new BenchmarkException(BenchmarkFailure.OutOfMemory, $"batch {o.Batch} does not fit on {o.Engine.ToName()}: {text}", modelPath, e)
            : new BenchmarkException(BenchmarkFailure.ModelFailed, $"the model fails to run on {o.Engine.ToName()} at batch {o.Batch}: {text}", modelPath, e);
    }

    private static OrtAllocator? TryCudaPinnedAllocator(InferenceSession session)
    {
        try
        {
            using var info = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
            return new OrtAllocator(session, info);
        }
        catch (OnnxRuntimeException)
        {
            // Not fatal: pageable memory only makes ONNX Runtime stage the input copy; the run still works.
            return null;
        }
    }
}
