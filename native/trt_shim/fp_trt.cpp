// fp_trt.cpp — the exported C entry points of the real shim, the logger and small CUDA helpers.
// Every exported function clears the error slot, validates with the checks shared with the fake, and runs
// its body inside guarded(), so no exception ever crosses the C boundary.
#include "fp_trt_internal.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>

namespace fptrt
{
namespace
{

class RecordingLogger final : public nvinfer1::ILogger
{
public:
    void log(Severity severity, nvinfer1::AsciiChar const* message) noexcept override
    {
        if (message == nullptr)
        {
            return;
        }
        if (severity <= Severity::kERROR)
        {
            std::lock_guard<std::mutex> lock(mMutex);
            // Keep the first error: TensorRT's later errors tend to be consequences of it.
            if (mFirstError.empty())
            {
                mFirstError = message;
            }
        }
        if (mVerbose || severity <= Severity::kINTERNAL_ERROR)
        {
            std::fprintf(stderr, "[fp_trt] %s\n", message);
        }
    }

    std::string take()
    {
        std::lock_guard<std::mutex> lock(mMutex);
        std::string text;
        text.swap(mFirstError);
        return text;
    }

private:
    std::mutex mMutex;
    std::string mFirstError;
    // FP_TRT_VERBOSE=1 echoes every TensorRT message to stderr, for diagnosing builds by hand.
    bool mVerbose{std::getenv("FP_TRT_VERBOSE") != nullptr};
};

RecordingLogger& recordingLogger()
{
    static RecordingLogger instance;
    return instance;
}

// Runs body, turning any exception into a status code with a message in the error slot.
template <typename Body>
int32_t guarded(char const* function, Body&& body) noexcept
{
    fp_trti_clear_error();
    try
    {
        body();
        return FP_TRT_OK;
    }
    catch (Failure const& failure)
    {
        return failure.status; // the message is already in the slot
    }
    catch (std::bad_alloc const&)
    {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "%s: out of host memory", function);
    }
    catch (std::exception const& error)
    {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "%s: %s", function, error.what());
    }
    catch (...)
    {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "%s: unknown C++ exception", function);
    }
}

} // namespace

void fail(int32_t status, char const* format, ...)
{
    char text[1024];
    va_list args;
    va_start(args, format);
    std::vsnprintf(text, sizeof text, format, args);
    va_end(args);
    fp_trti_fail(status, "%s", text);
    throw Failure{status};
}

void checkCuda(cudaError_t result, char const* what)
{
    if (result != cudaSuccess)
    {
        fail(FP_TRT_E_CUDA, "CUDA %s failed: %s (%s)", what, cudaGetErrorString(result), cudaGetErrorName(result));
    }
}

nvinfer1::ILogger& logger()
{
    return recordingLogger();
}

std::string takeLoggedError()
{
    std::string text = recordingLogger().take();
    return text.empty() ? std::string("TensorRT logged no error") : text;
}

void clearLoggedError()
{
    recordingLogger().take();
}

std::string libraryVersion()
{
    // The library actually loaded, not NV_TENSORRT_* of the headers: the cache key must follow the runtime.
    return std::to_string(getInferLibMajorVersion()) + "." + std::to_string(getInferLibMinorVersion()) + "."
        + std::to_string(getInferLibPatchVersion());
}

std::string currentDeviceName()
{
    int device = 0;
    checkCuda(cudaGetDevice(&device), "cudaGetDevice");
    cudaDeviceProp properties{};
    checkCuda(cudaGetDeviceProperties(&properties, device), "cudaGetDeviceProperties");
    return properties.name;
}

DeviceBuffer::DeviceBuffer(std::size_t bytes, char const* tensorName)
{
    // TensorRT rejects a null address even for an empty tensor, so always allocate at least one byte.
    cudaError_t result = cudaMalloc(&mData, bytes == 0 ? 1 : bytes);
    if (result != cudaSuccess)
    {
        mData = nullptr;
        fail(FP_TRT_E_CUDA, "cudaMalloc of %zu bytes for tensor '%s' failed: %s", bytes, tensorName,
            cudaGetErrorString(result));
    }
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : mData(other.mData)
{
    other.mData = nullptr;
}

DeviceBuffer::~DeviceBuffer()
{
    if (mData != nullptr)
    {
        cudaFree(mData);
    }
}

} // namespace fptrt

fp_trt_engine::~fp_trt_engine()
{
    if (stream != nullptr)
    {
        cudaStreamSynchronize(stream); // no enqueued work may still use the buffers freed below
    }
    context.reset();
    engine.reset();
    runtime.reset();
    io.clear();
    if (stream != nullptr)
    {
        cudaStreamDestroy(stream);
    }
}

extern "C" {

FP_TRT_API int32_t fp_trt_abi_version(void)
{
    return FP_TRT_ABI_VERSION;
}

FP_TRT_API char const* fp_trt_last_error(void)
{
    return fp_trti_last_error();
}

FP_TRT_API int32_t fp_trt_version(char* buffer, int32_t capacity, int32_t* out_length)
{
    std::string text;
    int32_t status = fptrt::guarded("fp_trt_version", [&] { text = fptrt::libraryVersion(); });
    return status != FP_TRT_OK ? status : fp_trti_copy_string("fp_trt_version", text.c_str(), buffer, capacity, out_length);
}

FP_TRT_API int32_t fp_trt_device_name(char* buffer, int32_t capacity, int32_t* out_length)
{
    std::string text;
    int32_t status = fptrt::guarded("fp_trt_device_name", [&] { text = fptrt::currentDeviceName(); });
    return status != FP_TRT_OK ? status
                               : fp_trti_copy_string("fp_trt_device_name", text.c_str(), buffer, capacity, out_length);
}

FP_TRT_API int32_t fp_trt_engine_create(
    char const* onnx_path, int32_t batch, int32_t strict_fp32, char const* cache_dir, fp_trt_engine** out_engine)
{
    return fptrt::guarded("fp_trt_engine_create", [&] {
        if (out_engine != nullptr)
        {
            *out_engine = nullptr;
        }
        int32_t status = fp_trti_check_create_args(onnx_path, batch, strict_fp32, cache_dir, out_engine);
        if (status != FP_TRT_OK)
        {
            throw fptrt::Failure{status};
        }
        // unique_ptr: a failure anywhere below destroys the half-built engine before returning.
        auto engine = std::make_unique<fp_trt_engine>();
        fptrt::createEngine(*engine, onnx_path, batch, strict_fp32 == 1, cache_dir);
        *out_engine = engine.release();
    });
}

FP_TRT_API void fp_trt_engine_destroy(fp_trt_engine* engine)
{
    // delete of a null pointer is a no-op; the destructor calls only noexcept C and TensorRT functions.
    delete engine;
}

FP_TRT_API int32_t fp_trt_engine_from_cache(fp_trt_engine const* engine, int32_t* out_from_cache)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_from_cache", engine, out_from_cache);
    if (status == FP_TRT_OK)
    {
        *out_from_cache = engine->fromCache ? 1 : 0;
    }
    return status;
}

FP_TRT_API int32_t fp_trt_engine_cache_path(fp_trt_engine const* engine, char const** out_path)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_cache_path", engine, out_path);
    if (status == FP_TRT_OK)
    {
        *out_path = engine->cachePath.c_str();
    }
    return status;
}

FP_TRT_API int32_t fp_trt_engine_io_count(fp_trt_engine const* engine, int32_t* out_count)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_io_count", engine, out_count);
    if (status == FP_TRT_OK)
    {
        *out_count = static_cast<int32_t>(engine->io.size());
    }
    return status;
}

FP_TRT_API int32_t fp_trt_engine_io_info(fp_trt_engine const* engine, int32_t index, char const** out_name,
    int32_t* out_is_input, int32_t* out_rank, int64_t* out_dims)
{
    fp_trti_clear_error();
    int32_t count = engine != nullptr ? static_cast<int32_t>(engine->io.size()) : 0;
    int32_t status = fp_trti_check_io_info_args(engine, index, count, out_name, out_is_input, out_rank, out_dims);
    if (status != FP_TRT_OK)
    {
        return status;
    }
    fptrt::IoTensor const& tensor = engine->io[static_cast<std::size_t>(index)];
    *out_name = tensor.name.c_str();
    *out_is_input = tensor.isInput ? 1 : 0;
    *out_rank = tensor.dims.nbDims;
    for (int32_t k = 0; k < FP_TRT_MAX_DIMS; ++k)
    {
        out_dims[k] = k < tensor.dims.nbDims ? tensor.dims.d[k] : 0;
    }
    return FP_TRT_OK;
}

FP_TRT_API int32_t fp_trt_engine_benchmark(
    fp_trt_engine* engine, int32_t warmup, int32_t iterations, float* out_ms_per_iter)
{
    return fptrt::guarded("fp_trt_engine_benchmark", [&] {
        int32_t status = fp_trti_check_benchmark_args(engine, warmup, iterations, out_ms_per_iter);
        if (status != FP_TRT_OK)
        {
            throw fptrt::Failure{status};
        }
        fptrt::benchmark(*engine, warmup, iterations, out_ms_per_iter);
    });
}

} // extern "C"
