using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FastPrune.Runtime;

/// <summary>
/// One model on ONNX Runtime behind an <see cref="OrtIoBinding"/>: inputs are allocated and filled once,
/// outputs are allocated by the first run and re-bound, so a timed run is the run call and nothing else.
/// </summary>
internal sealed class OrtBatchRunner : IBatchRunner
{
    private readonly InferenceSession _session;
    private readonly OrtAllocator? _pinned;
    private readonly List<OrtValue> _inputs = [];
    private readonly OrtIoBinding _binding;
    private readonly OrtMemoryInfo? _deviceInfo;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputNames;
    private readonly BenchmarkOptions _options;
    private readonly string _modelPath;
    private IDisposableReadOnlyCollection<OrtValue>? _outputs;

    /// <summary>Creates the session, allocates and fills the inputs and binds them.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="inputs">Its inputs at the batch.</param>
    /// <param name="options">Engine, batch and threads.</param>
    /// <param name="profilePrefix">When given, ONNX Runtime's profiler records every run (<see cref="EndProfiling"/>).</param>
    public OrtBatchRunner(string modelPath, IReadOnlyList<InputSpec> inputs, BenchmarkOptions options, string? profilePrefix = null)
    {
        _modelPath = modelPath;
        _options = options;
        bool cuda = options.Engine == InferenceEngine.OrtCuda;
        _session = OrtSessionFactory.Create(modelPath, options.Engine, options.Threads, profilePrefix);
        try
        {
            foreach (var spec in inputs)
            {
                if (!_session.InputMetadata.ContainsKey(spec.Name))
                    throw new BenchmarkException(BenchmarkFailure.ModelFailed, $"ONNX Runtime does not list graph input '{spec.Name}' as an input", modelPath);
            }
            // On CUDA the input lives in page-locked host memory so the copy ONNX Runtime makes inside each run
            // is one DMA transfer, as in a serving pipeline; outputs stay on the device. On CPU, ORT's own
            // allocator gives memory the GC never moves.
            _pinned = cuda ? TryCudaPinnedAllocator(_session) : null;
            for (int i = 0; i < inputs.Count; i++)
            {
                _inputs.Add(Allocate(_pinned ?? OrtAllocator.DefaultInstance, inputs[i]));
                InputFill.Fill(_inputs[i].GetTensorMutableRawData(), inputs[i].ElementType, seed: 1234 + i);
            }
            _binding = _session.CreateIoBinding();
            _deviceInfo = cuda ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default) : null;
            _outputNames = _session.OutputNames.ToArray();
            for (int i = 0; i < inputs.Count; i++) _binding.BindInput(inputs[i].Name, _inputs[i]);
            foreach (string name in _outputNames) _binding.BindOutputToDevice(name, _deviceInfo ?? OrtMemoryInfo.DefaultInstance);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public double RunOnceMs()
    {
        try
        {
            long t0 = Stopwatch.GetTimestamp();
            _session.RunWithBinding(_runOptions, _binding);
            if (_deviceInfo is not null) _binding.SynchronizeBoundOutputs();
            long t1 = Stopwatch.GetTimestamp();
            if (_outputs is null)
            {
                // Re-bind what the first run allocated: later runs write into it instead of allocating.
                _outputs = _binding.GetOutputValues();
                _binding.ClearBoundOutputs();
                for (int k = 0; k < _outputNames.Length; k++) _binding.BindOutput(_outputNames[k], _outputs[k]);
            }
            return Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
        }
        catch (OnnxRuntimeException e)
        {
            throw RunFailure(e);
        }
    }

    /// <summary>Stops the profiler (the session was opened with a profile prefix) and returns its JSON file.</summary>
    public string EndProfiling() => _session.EndProfiling();

    /// <inheritdoc/>
    public void Dispose()
    {
        _outputs?.Dispose();
        _binding?.Dispose();
        foreach (var v in _inputs) v.Dispose();
        _pinned?.Dispose();
        _deviceInfo?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private OrtValue Allocate(OrtAllocator allocator, InputSpec spec)
    {
        try
        {
            return OrtValue.CreateAllocatedTensorValue(allocator, (TensorElementType)spec.ElementType, spec.Shape.ToArray());
        }
        catch (Exception e) when (e is OnnxRuntimeException or OutOfMemoryException)
        {
            throw new BenchmarkException(BenchmarkFailure.OutOfMemory,
                $"batch {_options.Batch} does not fit on {_options.Engine.ToName()}: cannot allocate input '{spec.Name}' [{string.Join(",", spec.Shape)}]: {BenchmarkException.OneLine(e.Message)}",
                _modelPath, e);
        }
    }

    private BenchmarkException RunFailure(OnnxRuntimeException e)
    {
        string text = BenchmarkException.OneLine(e.Message);
        string engine = _options.Engine.ToName();
        bool oom = text.Contains("allocate", StringComparison.OrdinalIgnoreCase)
            || text.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            || text.Contains("bad_alloc", StringComparison.Ordinal);
        return oom
            ? new BenchmarkException(BenchmarkFailure.OutOfMemory, $"batch {_options.Batch} does not fit on {engine}: {text}", _modelPath, e)
            : new BenchmarkException(BenchmarkFailure.ModelFailed, $"the model fails to run on {engine} at batch {_options.Batch}: {text}", _modelPath, e);
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
