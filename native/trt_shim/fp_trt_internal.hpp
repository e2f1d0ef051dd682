// fp_trt_internal.hpp — C++ internals of the real shim (not part of the ABI).
//
// Inside the library, failures are C++ exceptions so RAII frees whatever was half-built; every exported
// function catches them at the boundary (fptrt::guarded) and returns the status code instead.
#ifndef FP_TRT_INTERNAL_HPP
#define FP_TRT_INTERNAL_HPP

#include "fp_trt.h"
#include "fp_trt_common.h"

#include <NvInfer.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fptrt
{

// Thrown after the message has been written to the thread's error slot; carries only the status.
struct Failure
{
    int32_t status;
};

// Formats the message into the error slot and throws Failure{status}.
[[noreturn]] void fail(int32_t status, char const* format, ...) __attribute__((format(printf, 2, 3)));

// Throws FP_TRT_E_CUDA naming `what` when a CUDA runtime call did not succeed.
void checkCuda(cudaError_t result, char const* what);

// The process-wide TensorRT logger. TensorRT warns when builders and runtimes get different loggers, and
// may call it from its own threads, so there is one, guarded by a mutex.
nvinfer1::ILogger& logger();

// The first error TensorRT logged since the last clear, for appending to a failure message.
std::string takeLoggedError();
void clearLoggedError();

std::string libraryVersion();
std::string currentDeviceName();

// A cudaMalloc'd block, freed when it goes out of scope.
class DeviceBuffer
{
public:
    explicit DeviceBuffer(std::size_t bytes, char const* tensorName);
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& other) noexcept;
    DeviceBuffer(DeviceBuffer const&) = delete;
    DeviceBuffer& operator=(DeviceBuffer const&) = delete;
    DeviceBuffer& operator=(DeviceBuffer&&) = delete;
    void* get() const noexcept { return mData; }

private:
    void* mData{nullptr};
};

struct IoTensor
{
    std::string name;
    bool isInput{false};
    nvinfer1::Dims dims{};
    std::size_t bytes{0};
    DeviceBuffer buffer;
};

// Builds the serialised engine from ONNX bytes (fp_trt_build.cpp).
std::unique_ptr<nvinfer1::IHostMemory> buildSerializedEngine(
    std::vector<unsigned char> const& model, char const* onnxPath, int32_t batch, bool strictFp32);

} // namespace fptrt

// The opaque handle of fp_trt.h. Members are released in ~fp_trt_engine in the order TensorRT requires
// (context, then engine, then runtime), after the stream has drained.
struct fp_trt_engine
{
    std::unique_ptr<nvinfer1::IRuntime> runtime;
    std::unique_ptr<nvinfer1::ICudaEngine> engine;
    std::unique_ptr<nvinfer1::IExecutionContext> context;
    std::vector<fptrt::IoTensor> io;
    cudaStream_t stream{nullptr};
    std::string cachePath;
    bool fromCache{false};
    int32_t batch{0};

    fp_trt_engine() = default;
    fp_trt_engine(fp_trt_engine const&) = delete;
    fp_trt_engine& operator=(fp_trt_engine const&) = delete;
    ~fp_trt_engine();
};

namespace fptrt
{
// Loads the engine from its cache or builds and caches it, then binds the context (fp_trt_engine.cpp).
void createEngine(fp_trt_engine& e, char const* onnxPath, int32_t batch, bool strictFp32, char const* cacheDir);
// Times `iterations` enqueueV3 calls (fp_trt_engine.cpp).
void benchmark(fp_trt_engine& e, int32_t warmup, int32_t iterations, float* outMs);
} // namespace fptrt

#endif // FP_TRT_INTERNAL_HPP
