/*
** window.h — the in-image part of a filter window (internal to ml/).
**
** CONV_2D, DEPTHWISE_CONV_2D and the pools skip filter taps that fall
** outside the image.  Rather than testing every tap, the kernels compute
** once per output position the range of tap indices [lo, hi) whose input
** coordinate origin + k*dilation lies in [0, size).  One division per
** output position and axis when dilation > 1; none in the tap loops.
*/
#ifndef ML_WINDOW_H
#define ML_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ml_taps {
    int32_t lo, hi; /* valid tap indices; lo >= hi when none */
} ml_taps;

/* Taps k in [0, k_size) with 0 <= origin + k*dilation < size.  The caller
** guarantees the arithmetic stays within int32 (ml_window_fits). */
static inline ml_taps ml_taps_in(int32_t origin, int32_t dilation,
                                 int32_t k_size, int32_t size)
{
    ml_taps t;
    t.lo = 0;
    t.hi = k_size;
    if (origin < 0)
        t.lo = dilation == 1 ? -origin : (-origin + dilation - 1) / dilation;
    if (origin + (k_size - 1) * dilation >= size) {
        int32_t room = size - origin; /* taps with k*dilation < room */
        t.hi = room <= 0 ? 0
                         : (dilation == 1 ? room : (room + dilation - 1) / dilation);
    }
    if (t.hi > k_size)
        t.hi = k_size;
    return t;
}

/* True when every origin and tap coordinate of an axis fits int32:
** (out - 1) * stride + (k - 1) * dilation + pad stays below INT32_MAX. */
static inline bool ml_window_fits(int32_t out, int32_t stride, int32_t k,
                                  int32_t dilation, int32_t pad)
{
    return (int64_t)(out - 1) * stride + (int64_t)(k - 1) * dilation + pad <
           INT32_MAX;
}

#endif /* ML_WINDOW_H */
