/*
** dot.c — int8 dot product with offsets, the inner loop of FULLY_CONNECTED
** and CONV_2D.  See dot.h.
**
** With __ARM_FEATURE_DSP (Cortex-M4/M7) the loop is the SMLAD form in
** dot_dsp.h, built on the ACLE intrinsics; elsewhere (Cortex-M0+, hosts) it
** is the scalar loop below.  Both give identical results (see dot_dsp.h);
** defining ML_NO_DSP forces the scalar loop on a DSP target.
*/
#include "ml/dot.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(ML_NO_DSP)
#include <arm_acle.h>
/* rotate right by 8; gcc/clang emit one ROR (or fold it into SXTB16) */
static inline int32_t ml_ror8(int32_t v)
{
    uint32_t u = (uint32_t)v;
    return (int32_t)((u >> 8) | (u << 24));
}
#define ML_SXTB16(v) ((int32_t)__sxtb16((int32_t)(v)))
#define ML_SXTB16_ROR8(v) ((int32_t)__sxtb16(ml_ror8(v)))
#define ML_SADD16(a, b) ((int32_t)__sadd16((int32_t)(a), (int32_t)(b)))
#define ML_SMLAD(a, b, c) ((int32_t)__smlad((int32_t)(a), (int32_t)(b), (int32_t)(c)))
#include "ml/dot_dsp.h"
#define ML_DOT_USE_DSP 1
#else
#define ML_DOT_USE_DSP 0
#endif

/* Largest |v + offset| for v in [-128, 127]. */
static int64_t max_abs_biased(int32_t offset)
{
    int64_t lo = -128 + (int64_t)offset, hi = 127 + (int64_t)offset;
    if (lo < 0)
        lo = -lo;
    if (hi < 0)
        hi = -hi;
    return lo > hi ? lo : hi;
}

bool ml_dot_fits(int32_t n, int32_t x_offset, int32_t w_offset)
{
    if (n < 0 || x_offset < -255 || x_offset > 255 || w_offset < -255 ||
        w_offset > 255)
        return false;
    return (int64_t)n * max_abs_biased(x_offset) * max_abs_biased(w_offset) <=
           INT32_MAX;
}

int32_t ml_dot_offset_s8(const int8_t *x, int32_t x_offset, const int8_t *w,
                         int32_t w_offset, int32_t n)
{
#if ML_DOT_USE_DSP
    return ml_dot_offset_s8_dual(x, x_offset, w, w_offset, n);
#else
    int32_t acc = 0;
    const int8_t *end = x + n;
    while (x < end)
        acc += ((int32_t)*x++ + x_offset) * ((int32_t)*w++ + w_offset);
    return acc;
#endif
}
