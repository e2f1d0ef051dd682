/*
 * fp_trt_cache.c — file IO, the engine cache key and the deterministic input data, shared by the real
 * shim and the test fake. POSIX only (fsync, rename, getpid): the shim targets Linux.
 */
#define _POSIX_C_SOURCE 200809L
#include "fp_trt_common.h"
#include "fp_trt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int32_t fp_trti_read_file(const char *path, const char *what, unsigned char **out_data, size_t *out_size)
{
    *out_data = NULL;
    *out_size = 0;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return fp_trti_fail(FP_TRT_E_IO, "%s '%s' cannot be opened: %s", what, path, strerror(errno));
    }
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        fclose(file);
        return fp_trti_fail(FP_TRT_E_IO, "%s '%s' is not a regular file", what, path);
    }
    size_t size = (size_t)info.st_size;
    /* malloc(0) may return NULL; one spare byte also lets the fake treat the data as a C string. */
    unsigned char *data = malloc(size + 1);
    if (data == NULL) {
        fclose(file);
        return fp_trti_fail(FP_TRT_E_INTERNAL, "%s '%s': out of host memory for %zu bytes", what, path, size);
    }
    size_t read = fread(data, 1, size, file);
    int failed = ferror(file);
    fclose(file);
    if (read != size || failed) {
        free(data);
        return fp_trti_fail(FP_TRT_E_IO, "%s '%s': read %zu of %zu bytes", what, path, read, size);
    }
    data[size] = 0;
    *out_data = data;
    *out_size = size;
    return FP_TRT_OK;
}

int32_t fp_trti_file_exists(const char *path)
{
    struct stat info;
    return stat(path, &info) == 0 && S_ISREG(info.st_mode) ? 1 : 0;
}

int32_t fp_trti_write_file_atomic(const char *path, const void *data, size_t size)
{
    /* pid + a process-wide counter keep concurrent writers (threads or processes) off each other's temp. */
    static atomic_uint counter;
    unsigned serial = atomic_fetch_add(&counter, 1u);
    size_t temp_size = strlen(path) + 48;
    char *temp = malloc(temp_size);
    if (temp == NULL) {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "cache '%s': out of host memory", path);
    }
    snprintf(temp, temp_size, "%s.tmp.%ld.%u", path, (long)getpid(), serial);

    FILE *file = fopen(temp, "wb");
    if (file == NULL) {
        int32_t status = fp_trti_fail(FP_TRT_E_IO, "cache '%s' cannot be created: %s", path, strerror(errno));
        free(temp);
        return status;
    }
    int ok = fwrite(data, 1, size, file) == size;
    ok = ok && fflush(file) == 0;
    ok = ok && fsync(fileno(file)) == 0;
    int saved = errno;
    ok = (fclose(file) == 0) && ok;
    if (!ok) {
        remove(temp);
        int32_t status = fp_trti_fail(FP_TRT_E_IO, "cache '%s' could not be written: %s", path, strerror(saved));
        free(temp);
        return status;
    }
    if (rename(temp, path) != 0) {
        saved = errno;
        remove(temp);
        int32_t status = fp_trti_fail(FP_TRT_E_IO, "cache '%s' could not be renamed into place: %s", path,
                                      strerror(saved));
        free(temp);
        return status;
    }
    free(temp);
    return FP_TRT_OK;
}

uint64_t fp_trti_fnv1a64(const void *data, size_t size)
{
    const unsigned char *bytes = data;
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; ++i) {
        hash ^= bytes[i];
        hash *= 0x100000001b3ull;
    }
    return hash;
}

/* Appends `text` to `out` (capacity already ensured), mapping unsafe characters to '_'. */
static char *append_sanitised(char *out, const char *text)
{
    for (const char *c = text; *c != '\0'; ++c) {
        int safe = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                   *c == '-';
        *out++ = safe ? *c : '_';
    }
    return out;
}

int32_t fp_trti_cache_path(const char *onnx_path, const char *cache_dir, uint64_t model_hash, const char *trt_version,
                           const char *gpu_name, int32_t batch, int32_t strict_fp32, char **out_path)
{
    *out_path = NULL;
    const char *slash = strrchr(onnx_path, '/');
    const char *file_name = slash != NULL ? slash + 1 : onnx_path;
    const char *dot = strrchr(file_name, '.');
    size_t stem_length = (dot != NULL && dot != file_name) ? (size_t)(dot - file_name) : strlen(file_name);

    /* The folder: the explicit cache_dir, else the model's own folder ("." for a bare file name). */
    const char *folder = cache_dir;
    size_t folder_length;
    if (folder != NULL) {
        folder_length = strlen(folder);
    } else if (slash != NULL) {
        folder = onnx_path;
        folder_length = (size_t)(slash - onnx_path);
        if (folder_length == 0) {
            folder = "/"; /* model at the file system root */
            folder_length = 1;
        }
    } else {
        folder = ".";
        folder_length = 1;
    }
    while (folder_length > 1 && folder[folder_length - 1] == '/') {
        --folder_length; /* "dir/" and "dir" give the same cache path */
    }

    size_t capacity = folder_length + 1 + stem_length + strlen(trt_version) + strlen(gpu_name) + 96;
    char *path = malloc(capacity);
    if (path == NULL) {
        return fp_trti_fail(FP_TRT_E_INTERNAL, "cache path: out of host memory");
    }
    char *out = path;
    memcpy(out, folder, folder_length);
    out += folder_length;
    if (folder_length != 1 || folder[0] != '/') {
        *out++ = '/';
    }
    memcpy(out, file_name, stem_length);
    out += stem_length;
    out += sprintf(out, ".%016" PRIx64 ".trt", model_hash);
    out = append_sanitised(out, trt_version);
    *out++ = '.';
    out = append_sanitised(out, gpu_name);
    sprintf(out, ".b%d.%s.trtcache", (int)batch, strict_fp32 ? "fp32" : "tf32");
    *out_path = path;
    return FP_TRT_OK;
}

void fp_trti_fill_inputs(float *values, size_t count, uint64_t seed)
{
    uint64_t state = seed != 0 ? seed : 0x9e3779b97f4a7c15ull; /* xorshift must not start at 0 */
    for (size_t i = 0; i < count; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        /* Top 24 bits → [0, 1) exactly representable in float, then to [-1, 1). */
        values[i] = (float)(state >> 40) * (2.0f / 16777216.0f) - 1.0f;
    }
}
