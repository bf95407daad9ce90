/*
** dot.h — the int8 dot product under FULLY_CONNECTED and CONV_2D
** (internal to ml/).
**
** Σ (x[i] + x_offset) * (w[i] + w_offset) over n contiguous elements, in
** int32.  Portable C by default; an __ARM_FEATURE_DSP build uses SMLAD
** (two 16x16 multiply-accumulates per instruction) and gives the same
** result because every partial sum fits in int32 (ml_dot_fits).
*/
#ifndef ML_DOT_H
#define ML_DOT_H

#include <stdbool.h>
#include <stdint.h>

/* 1 when the SMLAD paths (dot_dsp.h) are compiled in: Cortex-M4/M7 and
** other targets with the DSP extension, unless ML_NO_DSP is defined. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(ML_NO_DSP)
#define ML_HAVE_DSP 1
#else
#define ML_HAVE_DSP 0
#endif

/* True when a dot product of n terms with these offsets cannot overflow
** int32 in any summation order: n * max|x+x_offset| * max|w+w_offset|
** <= INT32_MAX, with x and w ranging over all of int8.  n >= 0,
** offsets in [-255, 255]. */
bool ml_dot_fits(int32_t n, int32_t x_offset, int32_t w_offset);

int32_t ml_dot_offset_s8(const int8_t *x, int32_t x_offset, const int8_t *w,
                         int32_t w_offset, int32_t n);

/* Two dot products sharing x: acc[j] = Σ (x[i] + x_offset) * w_j[i]. */
void ml_dot2_offset_s8(const int8_t *x, int32_t x_offset, const int8_t *w0,
                       const int8_t *w1, int32_t n, int32_t acc[2]);

#endif /* ML_DOT_H */
