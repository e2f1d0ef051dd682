// fp_trt_engine.cpp — cache lookup, engine deserialisation, IO binding and the timed enqueueV3 loop.
#include "fp_trt_internal.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace fptrt
{
namespace
{

std::vector<unsigned char> readWholeFile(char const* path, char const* what)
{
    unsigned char* data = nullptr;
    std::size_t size = 0;
    int32_t status = fp_trti_read_file(path, what, &data, &size);
    if (status != FP_TRT_OK)
    {
        throw Failure{status};
    }
    std::vector<unsigned char> bytes(data, data + size);
    std::free(data);
    return bytes;
}

std::string cachePathFor(std::vector<unsigned char> const& model, char const* onnxPath, char const* cacheDir,
    int32_t batch, bool strictFp32)
{
    char* path = nullptr;
    int32_t status = fp_trti_cache_path(onnxPath, cacheDir, fp_trti_fnv1a64(model.data(), model.size()),
        libraryVersion().c_str(), currentDeviceName().c_str(), batch, strictFp32 ? 1 : 0, &path);
    if (status != FP_TRT_OK)
    {
        throw Failure{status};
    }
    std::string text(path);
    std::free(path);
    return text;
}

// Bytes per element for each nvinfer1::DataType value; 4-bit types are packed two per byte (handled by the
// caller). Numbers, not enumerators, so this compiles against TensorRT 10.0 (no kFP4/kE8M0) and later.
std::size_t elementBits(nvinfer1::DataType type)
{
    switch (static_cast<int32_t>(type))
    {
    case 0: return 32; // kFLOAT
    case 1: return 16; // kHALF
    case 2: return 8;  // kINT8
    case 3: return 32; // kINT32
    case 4: return 8;  // kBOOL
    case 5: return 8;  // kUINT8
    case 6: return 8;  // kFP8
    case 7: return 16; // kBF16
    case 8: return 64; // kINT64
    case 9: return 4;  // kINT4
    case 10: return 4; // kFP4
    case 11: return 8; // kE8M0
    default: return 0;
    }
}

// Binds every IO tensor: input shapes at the built batch, a device buffer each, deterministic input data.
void bindTensors(fp_trt_engine& e)
{
    nvinfer1::ICudaEngine& engine = *e.engine;
    nvinfer1::IExecutionContext& context = *e.context;
    int32_t const count = engine.getNbIOTensors();
    std::vector<char const*> names;
    for (int32_t i = 0; i < count; ++i)
    {
        char const* name = engine.getIOTensorName(i);
        names.push_back(name);
        if (engine.isShapeInferenceIO(name))
        {
            fail(FP_TRT_E_UNSUPPORTED, "engine tensor '%s' is a shape tensor, which the shim does not feed", name);
        }
        if (engine.getTensorIOMode(name) != nvinfer1::TensorIOMode::kINPUT)
        {
            continue;
        }
        nvinfer1::Dims dims = engine.getTensorShape(name);
        if (dims.nbDims > 0 && dims.d[0] == -1)
        {
            dims.d[0] = e.batch;
        }
        if (!context.setInputShape(name, dims))
        {
            fail(FP_TRT_E_RUNTIME, "setInputShape('%s') at batch %d failed: %s", name, static_cast<int>(e.batch),
                takeLoggedError().c_str());
        }
    }
    // Output shapes are known only once every input shape is set, hence the second pass.
    for (int32_t i = 0; i < count; ++i)
    {
        char const* name = names[static_cast<std::size_t>(i)];
        bool const isInput = engine.getTensorIOMode(name) == nvinfer1::TensorIOMode::kINPUT;
        nvinfer1::Dims dims = context.getTensorShape(name);
        std::size_t volume = 1;
        for (int32_t k = 0; k < dims.nbDims; ++k)
        {
            if (dims.d[k] < 0)
            {
                fail(FP_TRT_E_UNSUPPORTED, "tensor '%s' has a data-dependent shape (dim %d unknown after binding inputs)",
                    name, static_cast<int>(k));
            }
            volume *= static_cast<std::size_t>(dims.d[k]);
        }
        nvinfer1::DataType const type = engine.getTensorDataType(name);
        std::size_t const bits = elementBits(type);
        if (bits == 0)
        {
            fail(FP_TRT_E_UNSUPPORTED, "tensor '%s' has data type %d, unknown to the shim", name, static_cast<int>(type));
        }
        std::size_t const bytes = (volume * bits + 7) / 8;
        e.io.push_back(IoTensor{name, isInput, dims, bytes, DeviceBuffer(bytes, name)});
        IoTensor const& tensor = e.io.back();
        if (isInput && type == nvinfer1::DataType::kFLOAT)
        {
            std::vector<float> host(volume);
            fp_trti_fill_inputs(host.data(), host.size(), 0x5eedULL + static_cast<uint64_t>(i));
            checkCuda(cudaMemcpy(tensor.buffer.get(), host.data(), bytes, cudaMemcpyHostToDevice), "cudaMemcpy (input)");
        }
        else
        {
            // Zeros are valid for every other type (index inputs, masks) and never NaN for half types.
            checkCuda(cudaMemset(tensor.buffer.get(), 0, bytes == 0 ? 1 : bytes), "cudaMemset");
        }
        if (!context.setTensorAddress(name, tensor.buffer.get()))
        {
            fail(FP_TRT_E_RUNTIME, "setTensorAddress('%s') failed: %s", name, takeLoggedError().c_str());
        }
    }
}

// Owns a batch of CUDA events for one benchmark call.
class EventSet
{
public:
    explicit EventSet(std::size_t count)
    {
        mEvents.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
        {
            cudaEvent_t event = nullptr;
            checkCuda(cudaEventCreate(&event), "cudaEventCreate");
            mEvents.push_back(event);
        }
    }
    ~EventSet()
    {
        for (cudaEvent_t event : mEvents)
        {
            cudaEventDestroy(event);
        }
    }
    EventSet(EventSet const&) = delete;
    EventSet& operator=(EventSet const&) = delete;
    cudaEvent_t operator[](std::size_t i) const { return mEvents[i]; }

private:
    std::vector<cudaEvent_t> mEvents;
};

void enqueue(fp_trt_engine& e, char const* phase, int32_t index)
{
    if (!e.context->enqueueV3(e.stream))
    {
        fail(FP_TRT_E_RUNTIME, "enqueueV3 failed on %s run %d: %s", phase, static_cast<int>(index),
            takeLoggedError().c_str());
    }
}

} // namespace

void createEngine(fp_trt_engine& e, char const* onnxPath, int32_t batch, bool strictFp32, char const* cacheDir)
{
    clearLoggedError();
    e.batch = batch;
    std::vector<unsigned char> const model = readWholeFile(onnxPath, "model");
    e.cachePath = cachePathFor(model, onnxPath, cacheDir, batch, strictFp32);
    e.runtime.reset(nvinfer1::createInferRuntime(logger()));
    if (!e.runtime)
    {
        fail(FP_TRT_E_BUILD, "createInferRuntime failed: %s", takeLoggedError().c_str());
    }
    if (fp_trti_file_exists(e.cachePath.c_str()))
    {
        std::vector<unsigned char> const plan = readWholeFile(e.cachePath.c_str(), "engine cache");
        e.engine.reset(e.runtime->deserializeCudaEngine(plan.data(), plan.size()));
        // A cache TensorRT refuses (truncated, foreign) is rebuilt below and overwritten, not reported.
        e.fromCache = static_cast<bool>(e.engine);
        clearLoggedError();
    }
    if (!e.engine)
    {
        std::unique_ptr<nvinfer1::IHostMemory> plan = buildSerializedEngine(model, onnxPath, batch, strictFp32);
        int32_t status = fp_trti_write_file_atomic(e.cachePath.c_str(), plan->data(), plan->size());
        if (status != FP_TRT_OK)
        {
            throw Failure{status};
        }
        e.engine.reset(e.runtime->deserializeCudaEngine(plan->data(), plan->size()));
        if (!e.engine)
        {
            fail(FP_TRT_E_BUILD, "deserializeCudaEngine of the fresh plan for '%s' failed: %s", onnxPath,
                takeLoggedError().c_str());
        }
    }
    e.context.reset(e.engine->createExecutionContext());
    if (!e.context)
    {
        fail(FP_TRT_E_RUNTIME, "createExecutionContext failed for '%s': %s", onnxPath, takeLoggedError().c_str());
    }
    checkCuda(cudaStreamCreateWithFlags(&e.stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
    bindTensors(e);
}

void benchmark(fp_trt_engine& e, int32_t warmup, int32_t iterations, float* outMs)
{
    clearLoggedError();
    for (int32_t i = 0; i < warmup; ++i)
    {
        enqueue(e, "warm-up", i);
    }
    checkCuda(cudaStreamSynchronize(e.stream), "cudaStreamSynchronize (warm-up)");

    // Events go in back to back, event[j] before and event[j+1] after inference j, so the GPU never idles
    // waiting for the host between timed runs; chunks bound the number of live events.
    constexpr int32_t chunk = 256;
    EventSet events(static_cast<std::size_t>(chunk) + 1);
    for (int32_t start = 0; start < iterations; start += chunk)
    {
        int32_t const n = std::min(chunk, iterations - start);
        checkCuda(cudaEventRecord(events[0], e.stream), "cudaEventRecord");
        for (int32_t j = 0; j < n; ++j)
        {
            enqueue(e, "timed", start + j);
            checkCuda(cudaEventRecord(events[static_cast<std::size_t>(j) + 1], e.stream), "cudaEventRecord");
        }
        checkCuda(cudaEventSynchronize(events[static_cast<std::size_t>(n)]), "cudaEventSynchronize");
        checkCuda(cudaGetLastError(), "kernel execution");
        for (int32_t j = 0; j < n; ++j)
        {
            float ms = 0.0f;
            checkCuda(cudaEventElapsedTime(&ms, events[static_cast<std::size_t>(j)], events[static_cast<std::size_t>(j) + 1]),
                "cudaEventElapsedTime");
            outMs[start + j] = ms;
        }
    }
}

} // namespace fptrt
