/*
 * fp_trt_args.c — the thread-local error slot and the argument checks of every fp_trt_* entry point.
 * Compiled into both the real shim and the test fake, so both reject exactly the same arguments with
 * exactly the same messages.
 */
#include "fp_trt_common.h"
#include "fp_trt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* 1 KiB holds any message we format (paths are truncated by vsnprintf, never overflowed). */
static _Thread_local char error_slot[1024];

int32_t fp_trti_fail(int32_t status, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(error_slot, sizeof error_slot, format, args);
    va_end(args);
    /* Messages are one line by contract: TensorRT log text can carry newlines, flatten them. */
    for (char *c = error_slot; *c != '\0'; ++c) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
    return status;
}

void fp_trti_clear_error(void)
{
    error_slot[0] = '\0';
}

const char *fp_trti_last_error(void)
{
    return error_slot;
}

int32_t fp_trti_copy_string(const char *function, const char *text, char *buffer, int32_t capacity,
                            int32_t *out_length)
{
    if (out_length == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: out_length is null", function);
    }
    *out_length = 0;
    if (capacity < 0 || (buffer == NULL && capacity != 0)) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: buffer is null or capacity %d is negative", function,
                            (int)capacity);
    }
    size_t length = strlen(text);
    if (length > INT32_MAX - 1) {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "%s: string of %zu bytes is too long", function, length);
    }
    *out_length = (int32_t)length;
    if ((size_t)capacity <= length) {
        return fp_trti_fail(FP_TRT_E_BUFFER_TOO_SMALL, "%s: buffer of %d bytes is too small, %d needed",
                            function, (int)capacity, (int)length + 1);
    }
    memcpy(buffer, text, length + 1);
    return FP_TRT_OK;
}

int32_t fp_trti_check_create_args(const char *onnx_path, int32_t batch, int32_t strict_fp32, const char *cache_dir,
                                  const void *out_engine)
{
    static const char fn[] = "fp_trt_engine_create";
    if (out_engine == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: out_engine is null", fn);
    }
    if (onnx_path == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: onnx_path is null", fn);
    }
    if (onnx_path[0] == '\0') {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: onnx_path is empty", fn);
    }
    if (batch <= 0) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: batch must be positive, got %d", fn, (int)batch);
    }
    if (strict_fp32 != 0 && strict_fp32 != 1) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: strict_fp32 must be 0 or 1, got %d", fn,
                            (int)strict_fp32);
    }
    if (cache_dir != NULL && cache_dir[0] == '\0') {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: cache_dir is empty (pass NULL for the model's folder)",
                            fn);
    }
    return FP_TRT_OK;
}

int32_t fp_trti_check_handle(const char *function, const void *engine, const void *out_value)
{
    if (engine == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: engine is null", function);
    }
    if (out_value == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: output pointer is null", function);
    }
    return FP_TRT_OK;
}

int32_t fp_trti_check_io_info_args(const void *engine, int32_t index, int32_t count, const void *out_name,
                                   const void *out_is_input, const void *out_rank, const void *out_dims)
{
    static const char fn[] = "fp_trt_engine_io_info";
    if (engine == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: engine is null", fn);
    }
    if (out_name == NULL || out_is_input == NULL || out_rank == NULL || out_dims == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: an output pointer is null", fn);
    }
    if (index < 0 || index >= count) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: index %d is outside [0, %d)", fn, (int)index,
                            (int)count);
    }
    return FP_TRT_OK;
}

int32_t fp_trti_check_benchmark_args(const void *engine, int32_t warmup, int32_t iterations,
                                     const void *out_ms_per_iter)
{
    static const char fn[] = "fp_trt_engine_benchmark";
    if (engine == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: engine is null", fn);
    }
    if (warmup < 0) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: warmup must be >= 0, got %d", fn, (int)warmup);
    }
    if (iterations <= 0 || iterations > FP_TRT_MAX_ITERATIONS) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: iterations must be in [1, %d], got %d", fn,
                            FP_TRT_MAX_ITERATIONS, (int)iterations);
    }
    if (out_ms_per_iter == NULL) {
        return fp_trti_fail(FP_TRT_E_INVALID_ARGUMENT, "%s: out_ms_per_iter is null", fn);
    }
    return FP_TRT_OK;
}
