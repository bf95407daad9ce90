/*
** ml_check.h — parameter checks and the requantization tail shared by
** the kernels (internal to ml/).
**
** The checks are O(1) and run once per call, before any loop: they keep a
** malformed model image from driving a kernel out of its buffers or into
** int32 overflow.  They do not re-derive what TFLM's Prepare checks about
** scales; that is the importer's job.
*/
#ifndef ML_ML_CHECK_H
#define ML_ML_CHECK_H

#include "ml/ml.h"

static inline bool ml_activation_ok(const ml_activation *a)
{
    return a->min >= -128 && a->min <= a->max && a->max <= 127;
}

/* A (multiplier, shift) pair that ml_mbqm handles without overflow. */
static inline bool ml_quant_ok(int32_t multiplier, int32_t shift)
{
    return multiplier >= 0 && shift >= -31 && shift <= 30;
}

static inline bool ml_dims_ok(const ml_dims *d)
{
    return d->n >= 1 && d->h >= 1 && d->w >= 1 && d->c >= 1 &&
           (int64_t)d->n * d->h * d->w * d->c <= INT32_MAX;
}

/* An input offset is -zero_point of an int8 tensor: [-127, 128], so
** |x + offset| <= 255 for every int8 x. */
static inline bool ml_offset_ok(int32_t offset)
{
    return offset >= -127 && offset <= 128;
}

/* Element count of a shape, or -1 when it is malformed or too large. */
static inline int32_t ml_shape_count(const ml_shape *s)
{
    int64_t n = 1;
    int32_t i;
    if (s->rank < 0 || s->rank > ML_MAX_DIMS)
        return -1;
    for (i = 0; i < s->rank; i++) {
        if (s->dims[i] < 0)
            return -1;
        n *= s->dims[i];
        if (n > INT32_MAX)
            return -1;
    }
    return (int32_t)n;
}

/* SRDHM for a multiplier known to be >= 0 (every kernel checks that with
** ml_quant_ok before its loops): the INT32_MIN * INT32_MIN saturation case
** of ml_srdhm cannot arise, so the test is left out of the hot path. */
static inline int32_t ml_srdhm_nonneg(int32_t a, int32_t b)
{
    return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

/* Requantize one accumulator (bias already added, modulo 2^32) with
** scalars only, so a caller that holds the parameters in locals keeps them
** in registers across its int8 stores (which may alias anything). */
static inline int8_t ml_requant_acc_s8(uint32_t acc, int32_t multiplier,
                                       int32_t shift, int32_t output_offset,
                                       int32_t act_min, int32_t act_max)
{
    /* left = max(shift, 0), right = max(-shift, 0) without a branch, so
    ** the compiler emits one straight sequence (RDBPOT by 0 is exact) */
    int32_t left = shift & ~(shift >> 31);
    int32_t right = left - shift;
    int32_t y = ml_rdbpot(ml_srdhm_nonneg(ml_wrap_s32(acc << left), multiplier),
                          right);
    y = ml_wrap_s32((uint32_t)y + (uint32_t)output_offset);
    return ml_clamp_to_s8(y, act_min, act_max);
}

/* The common tail of FC, conv, depthwise: add the bias (when present),
** requantize (ml_mbqm with multiplier >= 0), add the output offset,
** clamp.  The adds wrap as TFLM's int32 adds do on its targets (an
** overflow there is undefined behaviour in C++ and two's-complement wrap
** in practice); they never overflow for bias and accumulators in the
** ranges a converter produces. */
static inline int8_t ml_requant_s8(int32_t acc, const int32_t *bias,
                                   int32_t channel, int32_t multiplier,
                                   int32_t shift, int32_t output_offset,
                                   const ml_activation *act)
{
    uint32_t a = (uint32_t)acc;
    if (bias != NULL)
        a += (uint32_t)bias[channel];
    return ml_requant_acc_s8(a, multiplier, shift, output_offset, act->min,
                             act->max);
}

#endif /* ML_ML_CHECK_H */
