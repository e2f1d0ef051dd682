/*
 * fp_trt.h — the C ABI of FastPrune's TensorRT throughput shim.
 *
 * Job: build (or load from a cache) an FP32 TensorRT engine for one ONNX model at one batch size and time
 * enqueueV3 on it, behind plain C types so that C# can bind it with [LibraryImport].
 *
 * Two libraries implement this header:
 *   libfp_trt.so       the real shim (fp_trt.cpp, C++ over TensorRT 10+ and the CUDA runtime);
 *   libfp_trt_fake.so  a test-only fake (native/trt_fake) that needs neither, never shipped.
 * Both validate arguments with the same code (fp_trt_common.c), so the managed tests of error handling
 * hold for the real shim too.
 *
 * Rules of the ABI
 *   - Every entry point that can fail returns an fp_trt_status; FP_TRT_OK is 0. No C++ exception crosses it.
 *   - After a failure, fp_trt_last_error() on the SAME thread returns a one-line UTF-8 message naming the
 *     file / tensor and the cause. The pointer stays valid until that thread's next fp_trt_* call.
 *   - Handles are opaque; each fp_trt_engine_create that succeeds is paired with exactly one
 *     fp_trt_engine_destroy. A handle is not thread-safe: use one from one thread at a time.
 *   - Strings in and out are NUL-terminated UTF-8.
 */
#ifndef FP_TRT_H
#define FP_TRT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define FP_TRT_API __declspec(dllexport)
#else
#define FP_TRT_API __attribute__((visibility("default")))
#endif

/* Bumped whenever a signature or a status value below changes; the managed binding refuses a mismatch. */
#define FP_TRT_ABI_VERSION 1

/* The largest rank TensorRT supports (nvinfer1::Dims::MAX_DIMS); dims arrays passed in must hold this many. */
#define FP_TRT_MAX_DIMS 8

/* Largest iteration count one benchmark call accepts; keeps event and output arrays bounded. */
#define FP_TRT_MAX_ITERATIONS 1000000

typedef enum fp_trt_status {
    FP_TRT_OK = 0,
    FP_TRT_E_INVALID_ARGUMENT = 1, /* a null pointer, empty string, non-positive count, index out of range */
    FP_TRT_E_IO = 2,               /* the model or cache file could not be read or written */
    FP_TRT_E_PARSE = 3,            /* the ONNX parser rejected the model */
    FP_TRT_E_UNSUPPORTED = 4,      /* the model is valid but outside what the shim handles (e.g. fixed batch) */
    FP_TRT_E_BUILD = 5,            /* TensorRT failed to build or deserialise the engine */
    FP_TRT_E_CUDA = 6,             /* a CUDA runtime call failed (no device, out of memory, ...) */
    FP_TRT_E_RUNTIME = 7,          /* execution context creation, shape binding or enqueueV3 failed */
    FP_TRT_E_BUFFER_TOO_SMALL = 8, /* an output string buffer was too small; the required size is returned */
    FP_TRT_E_INTERNAL = 9          /* an unexpected C++ exception (e.g. std::bad_alloc) was caught */
} fp_trt_status;

typedef struct fp_trt_engine fp_trt_engine;

/* Returns FP_TRT_ABI_VERSION of the library actually loaded. Never fails. */
FP_TRT_API int32_t fp_trt_abi_version(void);

/* The message of the last failure on this thread, or "" when the last call succeeded. Never NULL. */
FP_TRT_API const char *fp_trt_last_error(void);

/*
 * Writes the linked TensorRT library version ("10.16.1") into buffer.
 * out_length receives the string length without the NUL. If capacity <= out_length, nothing usable is
 * written and FP_TRT_E_BUFFER_TOO_SMALL is returned, so the caller can retry with out_length + 1 bytes.
 * buffer may be NULL only when capacity is 0.
 */
FP_TRT_API int32_t fp_trt_version(char *buffer, int32_t capacity, int32_t *out_length);

/* Same contract as fp_trt_version, for the name of the current CUDA device ("NVIDIA H100 80GB HBM3"). */
FP_TRT_API int32_t fp_trt_device_name(char *buffer, int32_t capacity, int32_t *out_length);

/*
 * Builds an FP32 engine for the ONNX model at onnx_path with an optimisation profile whose min = opt = max
 * batch is `batch` (the first dimension of every input; the other dimensions come from the model and must be
 * fixed), creates one execution context, one CUDA stream and a device buffer for every IO tensor, and fills
 * the inputs with deterministic data.
 *
 * strict_fp32: 0 keeps TensorRT's default, which lets FP32 convolutions and matrix products use TF32 tensor
 * cores; 1 clears BuilderFlag::kTF32. Any other value is an invalid argument.
 * cache_dir: folder for the serialised engine; NULL means the model's folder; "" is an invalid argument.
 * The cache file name carries the model content hash, TensorRT version, GPU name, batch and strict flag, so a
 * stale engine is never loaded; it is written to a temporary file in that folder and renamed into place.
 *
 * On success *out_engine owns everything; release it with fp_trt_engine_destroy. On failure *out_engine is
 * set to NULL (when out_engine itself is not NULL) and nothing is left allocated.
 */
FP_TRT_API int32_t fp_trt_engine_create(const char *onnx_path, int32_t batch, int32_t strict_fp32,
                                        const char *cache_dir, fp_trt_engine **out_engine);

/* Releases the engine and everything it owns. NULL is ignored. Never fails. */
FP_TRT_API void fp_trt_engine_destroy(fp_trt_engine *engine);

/* *out_from_cache = 1 when the engine was deserialised from an existing cache file, 0 when it was built. */
FP_TRT_API int32_t fp_trt_engine_from_cache(const fp_trt_engine *engine, int32_t *out_from_cache);

/* The cache file path, owned by the engine, valid until fp_trt_engine_destroy. */
FP_TRT_API int32_t fp_trt_engine_cache_path(const fp_trt_engine *engine, const char **out_path);

/* Number of IO tensors (inputs and outputs), in TensorRT's order. */
FP_TRT_API int32_t fp_trt_engine_io_count(const fp_trt_engine *engine, int32_t *out_count);

/*
 * Describes IO tensor `index` (0 <= index < count): its name (owned by the engine, valid until destroy),
 * whether it is an input (1) or an output (0), its rank and its concrete dims at the built batch.
 * out_dims must hold FP_TRT_MAX_DIMS elements; entries past the rank are set to 0.
 */
FP_TRT_API int32_t fp_trt_engine_io_info(const fp_trt_engine *engine, int32_t index, const char **out_name,
                                         int32_t *out_is_input, int32_t *out_rank, int64_t *out_dims);

/*
 * Runs `warmup` untimed inferences, then `iterations` timed ones, each one enqueueV3 on the engine's stream
 * bracketed by CUDA events, and writes the milliseconds of each timed inference to out_ms_per_iter
 * (which must hold `iterations` floats). 0 <= warmup, 1 <= iterations <= FP_TRT_MAX_ITERATIONS.
 * The caller computes medians and percentiles; nothing is averaged here.
 */
FP_TRT_API int32_t fp_trt_engine_benchmark(fp_trt_engine *engine, int32_t warmup, int32_t iterations,
                                           float *out_ms_per_iter);

#ifdef __cplusplus
}
#endif

#endif /* FP_TRT_H */
