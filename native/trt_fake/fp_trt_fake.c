/*
 * fp_trt_fake.c — TEST-ONLY implementation of the fp_trt.h ABI without TensorRT or CUDA (see fp_trt_fake.h).
 * Never shipped. Its entry points follow the real shim's order: clear the error slot, validate with the
 * shared checks, then do the (fake) work.
 */
#include "fp_trt_fake.h"
#include "fp_trt_fake_engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char cache_magic[] = "FPTRTFAKE1\n";

/* Live-handle registry: lets tests prove each engine is destroyed exactly once. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static fp_trt_engine *live[1024];
static int32_t live_count;
static int32_t bad_destroys;

static int register_engine(fp_trt_engine *engine)
{
    pthread_mutex_lock(&registry_lock);
    int ok = live_count < (int32_t)(sizeof live / sizeof live[0]);
    if (ok) {
        live[live_count++] = engine;
    }
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

/* Removes engine from the registry; returns 0 (and counts a bad destroy) if it was not live. */
static int unregister_engine(fp_trt_engine *engine)
{
    int found = 0;
    pthread_mutex_lock(&registry_lock);
    for (int32_t i = 0; i < live_count; ++i) {
        if (live[i] == engine) {
            live[i] = live[--live_count];
            found = 1;
            break;
        }
    }
    if (!found) {
        bad_destroys++;
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

int32_t fp_trt_fake_live_handles(void)
{
    pthread_mutex_lock(&registry_lock);
    int32_t count = live_count;
    pthread_mutex_unlock(&registry_lock);
    return count;
}

int32_t fp_trt_fake_bad_destroys(void)
{
    pthread_mutex_lock(&registry_lock);
    int32_t count = bad_destroys;
    pthread_mutex_unlock(&registry_lock);
    return count;
}

int32_t fp_trt_abi_version(void)
{
    return FP_TRT_ABI_VERSION;
}

const char *fp_trt_last_error(void)
{
    return fp_trti_last_error();
}

int32_t fp_trt_version(char *buffer, int32_t capacity, int32_t *out_length)
{
    fp_trti_clear_error();
    return fp_trti_copy_string("fp_trt_version", FP_TRT_FAKE_VERSION, buffer, capacity, out_length);
}

int32_t fp_trt_device_name(char *buffer, int32_t capacity, int32_t *out_length)
{
    fp_trti_clear_error();
    return fp_trti_copy_string("fp_trt_device_name", FP_TRT_FAKE_DEVICE, buffer, capacity, out_length);
}

/* Loads the spec from a valid cache (from_cache = 1) or from the model, then writes the cache. */
static int32_t fake_build(const char *onnx_path, int32_t batch, int32_t strict_fp32, const char *cache_dir,
                          fp_trt_engine *engine)
{
    unsigned char *model = NULL;
    size_t model_size = 0;
    int32_t status = fp_trti_read_file(onnx_path, "model", &model, &model_size);
    if (status != FP_TRT_OK) {
        return status;
    }
    if (strstr(onnx_path, "fail") != NULL) {
        free(model);
        return fp_trti_fail(FP_TRT_E_PARSE, "fake parser rejected model '%s': its path contains \"fail\"", onnx_path);
    }
    status = fp_trti_cache_path(onnx_path, cache_dir, fp_trti_fnv1a64(model, model_size), FP_TRT_FAKE_VERSION,
                                FP_TRT_FAKE_DEVICE, batch, strict_fp32, &engine->cache_path);
    if (status != FP_TRT_OK) {
        free(model);
        return status;
    }

    unsigned char *cached = NULL;
    size_t cached_size = 0;
    size_t magic_length = sizeof cache_magic - 1;
    if (fp_trti_file_exists(engine->cache_path) &&
        fp_trti_read_file(engine->cache_path, "cache", &cached, &cached_size) == FP_TRT_OK &&
        cached_size >= magic_length && memcmp(cached, cache_magic, magic_length) == 0) {
        engine->from_cache = 1;
        status = fp_trt_fake_parse_spec((char *)cached + magic_length, onnx_path, batch, engine);
        free(cached);
        free(model);
        return status;
    }
    free(cached);
    fp_trti_clear_error(); /* an unreadable or foreign cache is rebuilt, not reported */

    /* Parse a copy: the spec parser writes into its text, and the cache needs the original bytes. */
    char *text = malloc(model_size + 1);
    unsigned char *blob = malloc(magic_length + model_size);
    if (text == NULL || blob == NULL) {
        free(text);
        free(blob);
        free(model);
        return fp_trti_fail(FP_TRT_E_INTERNAL, "fake build of '%s': out of host memory", onnx_path);
    }
    memcpy(text, model, model_size + 1);
    status = fp_trt_fake_parse_spec(text, onnx_path, batch, engine);
    if (status == FP_TRT_OK) {
        memcpy(blob, cache_magic, magic_length);
        memcpy(blob + magic_length, model, model_size);
        status = fp_trti_write_file_atomic(engine->cache_path, blob, magic_length + model_size);
    }
    free(text);
    free(blob);
    free(model);
    return status;
}

int32_t fp_trt_engine_create(const char *onnx_path, int32_t batch, int32_t strict_fp32, const char *cache_dir,
                             fp_trt_engine **out_engine)
{
    fp_trti_clear_error();
    if (out_engine != NULL) {
        *out_engine = NULL;
    }
    int32_t status = fp_trti_check_create_args(onnx_path, batch, strict_fp32, cache_dir, out_engine);
    if (status != FP_TRT_OK) {
        return status;
    }
    fp_trt_engine *engine = calloc(1, sizeof *engine);
    if (engine == NULL) {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "fp_trt_engine_create: out of host memory");
    }
    engine->batch = batch;
    engine->strict_fp32 = strict_fp32;
    status = fake_build(onnx_path, batch, strict_fp32, cache_dir, engine);
    if (status == FP_TRT_OK && !register_engine(engine)) {
        status = fp_trti_fail(FP_TRT_E_INTERNAL, "fp_trt_engine_create: more than 1024 live fake engines");
    }
    if (status != FP_TRT_OK) {
        free(engine->cache_path);
        free(engine);
        return status;
    }
    *out_engine = engine;
    return FP_TRT_OK;
}

void fp_trt_engine_destroy(fp_trt_engine *engine)
{
    if (engine == NULL) {
        return;
    }
    /* A pointer that is not live is counted and left alone: freeing it again would corrupt the heap. */
    if (unregister_engine(engine)) {
        free(engine->cache_path);
        free(engine);
    }
}

int32_t fp_trt_engine_from_cache(const fp_trt_engine *engine, int32_t *out_from_cache)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_from_cache", engine, out_from_cache);
    if (status == FP_TRT_OK) {
        *out_from_cache = engine->from_cache;
    }
    return status;
}

int32_t fp_trt_engine_cache_path(const fp_trt_engine *engine, const char **out_path)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_cache_path", engine, out_path);
    if (status == FP_TRT_OK) {
        *out_path = engine->cache_path;
    }
    return status;
}

int32_t fp_trt_engine_io_count(const fp_trt_engine *engine, int32_t *out_count)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_handle("fp_trt_engine_io_count", engine, out_count);
    if (status == FP_TRT_OK) {
        *out_count = engine->io_count;
    }
    return status;
}

int32_t fp_trt_engine_io_info(const fp_trt_engine *engine, int32_t index, const char **out_name,
                              int32_t *out_is_input, int32_t *out_rank, int64_t *out_dims)
{
    fp_trti_clear_error();
    int32_t count = engine != NULL ? engine->io_count : 0;
    int32_t status = fp_trti_check_io_info_args(engine, index, count, out_name, out_is_input, out_rank, out_dims);
    if (status != FP_TRT_OK) {
        return status;
    }
    const fp_trt_fake_tensor *tensor = &engine->io[index];
    *out_name = tensor->name;
    *out_is_input = tensor->is_input;
    *out_rank = tensor->rank;
    for (int32_t k = 0; k < FP_TRT_MAX_DIMS; ++k) {
        out_dims[k] = k < tensor->rank ? tensor->dims[k] : 0;
    }
    return FP_TRT_OK;
}

int32_t fp_trt_engine_benchmark(fp_trt_engine *engine, int32_t warmup, int32_t iterations, float *out_ms_per_iter)
{
    fp_trti_clear_error();
    int32_t status = fp_trti_check_benchmark_args(engine, warmup, iterations, out_ms_per_iter);
    if (status != FP_TRT_OK) {
        return status;
    }
    if (engine->benchmark_error) {
        return fp_trti_fail(FP_TRT_E_RUNTIME, "enqueueV3 failed (fake: the model asks for benchmark_error)");
    }
    double scale = engine->strict_fp32 ? 2.0 : 1.0;
    for (int32_t i = 0; i < iterations; ++i) {
        out_ms_per_iter[i] = (float)(scale * (0.5 + 0.25 * engine->batch) + 0.001 * (warmup + i));
    }
    return FP_TRT_OK;
}
