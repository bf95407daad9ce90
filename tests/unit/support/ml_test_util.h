/*
** ml_test_util.h — small helpers shared by the ml kernel tests (host).
*/
#ifndef TESTS_UNIT_SUPPORT_ML_TEST_UTIL_H
#define TESTS_UNIT_SUPPORT_ML_TEST_UTIL_H

#include <stdint.h>

#include "ml/ml.h"

/* Scale 1.0 as a QuantizeMultiplier pair: 0.5 * 2^1. */
#define ML_TEST_ONE_MULT (1 << 30)
#define ML_TEST_ONE_SHIFT 1

static inline ml_dims ml_test_dims(int32_t n, int32_t h, int32_t w, int32_t c)
{
    ml_dims d;
    d.n = n;
    d.h = h;
    d.w = w;
    d.c = c;
    return d;
}

static inline ml_shape ml_test_shape(int32_t rank, const int32_t *dims)
{
    ml_shape s;
    int32_t i;
    s.rank = rank;
    for (i = 0; i < ML_MAX_DIMS; i++)
        s.dims[i] = i < rank ? dims[i] : 0;
    return s;
}

#endif /* TESTS_UNIT_SUPPORT_ML_TEST_UTIL_H */
