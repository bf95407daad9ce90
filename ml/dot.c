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

#if ML_HAVE_DSP
#include "ml/dot_dsp.h"
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
#if ML_HAVE_DSP
    return ml_dot_offset_s8_dual(x, x_offset, w, w_offset, n);
#else
    int32_t acc = 0;
    const int8_t *end = x + n;
    while (x < end)
        acc += ((int32_t)*x++ + x_offset) * ((int32_t)*w++ + w_offset);
    return acc;
#endif
}

void ml_dot2_offset_s8(const int8_t *x, int32_t x_offset, const int8_t *w0,
                       const int8_t *w1, int32_t n, int32_t acc[2])
{
#if ML_HAVE_DSP
    ml_dsp_dot_1x2(x, x_offset, w0, w1, n, acc);
#else
    int32_t a0 = 0, a1 = 0, i;
    for (i = 0; i < n; i++) {
        int32_t xv = (int32_t)x[i] + x_offset;
        a0 += xv * w0[i];
        a1 += xv * w1[i];
    }
    acc[0] = a0;
    acc[1] = a1;
#endif
}
