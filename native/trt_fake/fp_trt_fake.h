/*
 * fp_trt_fake.h — TEST-ONLY. libfp_trt_fake.so implements the fp_trt.h ABI without TensorRT or CUDA so that
 * the C# binding (string and array marshalling, handles, error propagation) is tested on machines without a
 * GPU. It is never shipped and never installed; nothing outside tests/ may load it.
 *
 * What it shares with the real shim: argument validation, error messages for invalid arguments, the cache
 * file name and its atomic write (native/trt_shim/fp_trt_args.c and fp_trt_cache.c are linked into both).
 *
 * The "ONNX model" it reads is a small text spec (it never parses protobuf):
 *     # comment
 *     input  <name> <d0> <d1> ...     one line per input, dims as in ONNX; d0 = -1 is a dynamic batch
 *     output <name> <d0> <d1> ...     one line per output; a -1 in d0 becomes the requested batch
 *     benchmark_error                 makes fp_trt_engine_benchmark fail with FP_TRT_E_RUNTIME
 * Failures it fakes, with the status the real shim would return:
 *     missing / unreadable file          FP_TRT_E_IO
 *     model path containing "fail"       FP_TRT_E_PARSE   (message names the path)
 *     malformed spec line                FP_TRT_E_PARSE   (message names the line)
 *     input with fixed d0 != batch       FP_TRT_E_UNSUPPORTED
 *     non-batch dim that is not > 0      FP_TRT_E_UNSUPPORTED
 * The cache file holds "FPTRTFAKE1\n" followed by the spec; a cache that does not start with that magic is
 * treated like an engine TensorRT refuses to deserialise: it is rebuilt and overwritten.
 *
 * Timings are deterministic: timed iteration i (0-based) of a call with `warmup` warm-up runs reports
 *     (float)(scale * (0.5 + 0.25 * batch) + 0.001 * (warmup + i)),  scale = strict_fp32 ? 2.0 : 1.0
 * computed in double and rounded once to float.
 */
#ifndef FP_TRT_FAKE_H
#define FP_TRT_FAKE_H

#include "fp_trt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FP_TRT_FAKE_VERSION "0.0.0-fake"
#define FP_TRT_FAKE_DEVICE "Fake GPU (fp_trt_fake, no CUDA)"

/* Engines created and not yet destroyed, process-wide. */
FP_TRT_API int32_t fp_trt_fake_live_handles(void);

/* Calls of fp_trt_engine_destroy with a pointer that is not a live engine (a double destroy). */
FP_TRT_API int32_t fp_trt_fake_bad_destroys(void);

#ifdef __cplusplus
}
#endif

#endif /* FP_TRT_FAKE_H */
