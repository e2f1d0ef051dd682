/*
 * fp_trt_common.h — internal helpers shared by the real shim (fp_trt.cpp) and the test fake
 * (native/trt_fake). Not part of the ABI: every symbol here has hidden visibility.
 *
 * Sharing them is what makes the fake trustworthy as a stand-in: argument validation, error storage,
 * the cache key and the atomic cache write are the same machine code in both libraries.
 */
#ifndef FP_TRT_COMMON_H
#define FP_TRT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FP_TRTI_HIDDEN __attribute__((visibility("hidden")))

/* Messages for model shapes the shim does not handle; the fake uses the same text. */
#define FP_TRTI_MSG_FIXED_BATCH                                                                                   \
    "model '%s': input '%s' has a fixed batch of %lld but batch %d was requested; "                              \
    "export the model with a dynamic first dimension"
#define FP_TRTI_MSG_DYNAMIC_DIM "model '%s': tensor '%s' dim %d is %lld; only the first (batch) dim may be dynamic"

/* Formats a one-line message into this thread's error slot and returns `status` unchanged. */
FP_TRTI_HIDDEN int32_t fp_trti_fail(int32_t status, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Empties this thread's error slot; every entry point calls it first so a success leaves "". */
FP_TRTI_HIDDEN void fp_trti_clear_error(void);

/* The thread's error slot (never NULL); backs fp_trt_last_error in both libraries. */
FP_TRTI_HIDDEN const char *fp_trti_last_error(void);

/* Copies text into a caller buffer with the fp_trt_version contract (length out, BUFFER_TOO_SMALL). */
FP_TRTI_HIDDEN int32_t fp_trti_copy_string(const char *function, const char *text, char *buffer,
                                           int32_t capacity, int32_t *out_length);

/* Argument checks, one per entry point; each returns FP_TRT_OK or fails with FP_TRT_E_INVALID_ARGUMENT. */
FP_TRTI_HIDDEN int32_t fp_trti_check_create_args(const char *onnx_path, int32_t batch, int32_t strict_fp32,
                                                 const char *cache_dir, const void *out_engine);
FP_TRTI_HIDDEN int32_t fp_trti_check_handle(const char *function, const void *engine, const void *out_value);
FP_TRTI_HIDDEN int32_t fp_trti_check_io_info_args(const void *engine, int32_t index, int32_t count,
                                                  const void *out_name, const void *out_is_input,
                                                  const void *out_rank, const void *out_dims);
FP_TRTI_HIDDEN int32_t fp_trti_check_benchmark_args(const void *engine, int32_t warmup, int32_t iterations,
                                                    const void *out_ms_per_iter);

/* Reads a whole file into malloc'd memory (free it). `what` names the file's role in messages. */
FP_TRTI_HIDDEN int32_t fp_trti_read_file(const char *path, const char *what, unsigned char **out_data,
                                         size_t *out_size);

/* 1 if a regular file exists at path, else 0. */
FP_TRTI_HIDDEN int32_t fp_trti_file_exists(const char *path);

/*
 * Writes data to a temporary file in path's folder, flushes and fsyncs it, then renames it over path, so a
 * reader never sees a partial cache and a crash leaves at most a stray temporary file, never a bad cache.
 */
FP_TRTI_HIDDEN int32_t fp_trti_write_file_atomic(const char *path, const void *data, size_t size);

/* FNV-1a 64-bit over the model bytes: a content key for the cache, not a security hash. */
FP_TRTI_HIDDEN uint64_t fp_trti_fnv1a64(const void *data, size_t size);

/*
 * Builds the cache file path (malloc'd; free it):
 *   <cache_dir or model folder>/<model stem>.<hash:016x>.trt<version>.<gpu>.b<batch>.<fp32|tf32>.trtcache
 * Characters of the version and GPU name outside [A-Za-z0-9.-] become '_' so the name is portable.
 */
FP_TRTI_HIDDEN int32_t fp_trti_cache_path(const char *onnx_path, const char *cache_dir, uint64_t model_hash,
                                          const char *trt_version, const char *gpu_name, int32_t batch,
                                          int32_t strict_fp32, char **out_path);

/* Deterministic input data: a fixed-seed xorshift stream mapped to [-1, 1), so runs are repeatable. */
FP_TRTI_HIDDEN void fp_trti_fill_inputs(float *values, size_t count, uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif /* FP_TRT_COMMON_H */
