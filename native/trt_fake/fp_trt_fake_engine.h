/*
 * fp_trt_fake_engine.h — TEST-ONLY. The fake's engine record, internal to libfp_trt_fake.so.
 */
#ifndef FP_TRT_FAKE_ENGINE_H
#define FP_TRT_FAKE_ENGINE_H

#include "fp_trt.h"
#include "fp_trt_common.h"

#define FP_TRT_FAKE_MAX_TENSORS 16

typedef struct fp_trt_fake_tensor {
    char name[64];
    int32_t is_input;
    int32_t rank;
    int64_t dims[FP_TRT_MAX_DIMS];
} fp_trt_fake_tensor;

struct fp_trt_engine {
    int32_t batch;
    int32_t strict_fp32;
    int32_t from_cache;
    int32_t benchmark_error;
    int32_t io_count;
    fp_trt_fake_tensor io[FP_TRT_FAKE_MAX_TENSORS];
    char *cache_path;
};
typedef struct fp_trt_engine fp_trt_fake_engine;

/* Parses the spec text (modified in place) into engine->io; FP_TRT_OK or a failure with the message set. */
FP_TRTI_HIDDEN int32_t fp_trt_fake_parse_spec(char *text, const char *path, int32_t batch,
                                              fp_trt_fake_engine *engine);

#endif /* FP_TRT_FAKE_ENGINE_H */
