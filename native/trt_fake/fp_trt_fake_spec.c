/*
 * fp_trt_fake_spec.c — TEST-ONLY. Parses the fake's text "model" (see fp_trt_fake.h) into IO tensors,
 * applying the same batch rules the real shim applies to an ONNX network's inputs.
 */
#include "fp_trt_fake_engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Parses "<name> <d0> <d1> ..." after the keyword into tensor; returns FP_TRT_OK or an FP_TRT_E_PARSE failure. */
static int32_t parse_tensor(char *rest, const char *path, int line, int32_t is_input, fp_trt_fake_tensor *tensor)
{
    const char *separators = " \t\r";
    char *cursor = NULL;
    char *name = strtok_r(rest, separators, &cursor);
    if (name == NULL || strlen(name) >= sizeof tensor->name) {
        return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' line %d: missing or too long tensor name", path, line);
    }
    strcpy(tensor->name, name);
    tensor->is_input = is_input;
    tensor->rank = 0;
    for (char *token = strtok_r(NULL, separators, &cursor); token != NULL;
         token = strtok_r(NULL, separators, &cursor)) {
        if (tensor->rank == FP_TRT_MAX_DIMS) {
            return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' line %d: tensor '%s' has more than %d dims", path,
                                line, name, FP_TRT_MAX_DIMS);
        }
        char *end = NULL;
        errno = 0;
        long long value = strtoll(token, &end, 10);
        if (errno != 0 || end == token || *end != '\0') {
            return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' line %d: '%s' is not an integer dim", path, line,
                                token);
        }
        tensor->dims[tensor->rank++] = value;
    }
    if (tensor->rank == 0) {
        return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' line %d: tensor '%s' has no dims", path, line, name);
    }
    return FP_TRT_OK;
}

/* The real shim's rules: d0 is the batch (dynamic or equal to the request), every other dim fixed and positive. */
static int32_t apply_batch(fp_trt_fake_tensor *tensor, const char *path, int32_t batch)
{
    int64_t d0 = tensor->dims[0];
    if (tensor->is_input && d0 != -1 && d0 != batch) {
        return fp_trti_fail(FP_TRT_E_UNSUPPORTED, FP_TRTI_MSG_FIXED_BATCH, path, tensor->name, (long long)d0, (int)batch);
    }
    for (int32_t k = 1; k < tensor->rank; ++k) {
        if (tensor->dims[k] <= 0) {
            return fp_trti_fail(FP_TRT_E_UNSUPPORTED, FP_TRTI_MSG_DYNAMIC_DIM, path, tensor->name, (int)k, (long long)tensor->dims[k]);
        }
    }
    if (d0 == -1) {
        tensor->dims[0] = batch;
    }
    return FP_TRT_OK;
}

int32_t fp_trt_fake_parse_spec(char *text, const char *path, int32_t batch, fp_trt_fake_engine *engine)
{
    engine->io_count = 0;
    engine->benchmark_error = 0;
    int line = 0;
    char *next = NULL;
    for (char *row = text; row != NULL; row = next) {
        ++line;
        char *newline = strchr(row, '\n');
        if (newline != NULL) {
            *newline = '\0';
        }
        next = newline != NULL ? newline + 1 : NULL;
        while (*row == ' ' || *row == '\t') {
            ++row;
        }
        size_t length = strlen(row);
        while (length > 0 && (row[length - 1] == '\r' || row[length - 1] == ' ' || row[length - 1] == '\t')) {
            row[--length] = '\0';
        }
        if (length == 0 || row[0] == '#') {
            continue;
        }
        if (strcmp(row, "benchmark_error") == 0) {
            engine->benchmark_error = 1;
            continue;
        }
        int32_t is_input = strncmp(row, "input ", 6) == 0 || strncmp(row, "input\t", 6) == 0;
        int32_t is_output = strncmp(row, "output ", 7) == 0 || strncmp(row, "output\t", 7) == 0;
        if (!is_input && !is_output) {
            return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' line %d: expected 'input', 'output' or "
                                "'benchmark_error'", path, line);
        }
        if (engine->io_count == FP_TRT_FAKE_MAX_TENSORS) {
            return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' has more than %d tensors", path,
                                FP_TRT_FAKE_MAX_TENSORS);
        }
        fp_trt_fake_tensor *tensor = &engine->io[engine->io_count];
        int32_t status = parse_tensor(row + (is_input ? 6 : 7), path, line, is_input, tensor);
        if (status == FP_TRT_OK) {
            status = apply_batch(tensor, path, batch);
        }
        if (status != FP_TRT_OK) {
            return status;
        }
        engine->io_count++;
    }
    if (engine->io_count == 0) {
        return fp_trti_fail(FP_TRT_E_PARSE, "fake parser: '%s' declares no tensors", path);
    }
    return FP_TRT_OK;
}
