/*
** dot_dsp.h — the dual-MAC (SMLAD) form of the int8 dot product with
** offsets (internal to ml/).
**
** Four int8 pairs per step: SXTB16 widens bytes 0 and 2 (and, after an
** 8-bit rotation, bytes 1 and 3) into two int16 lanes, SADD16 adds the
** offset to both lanes (|x + offset| <= 383 fits int16), and SMLAD adds the
** two lane products to the int32 accumulator.  x and w are unpacked the
** same way, so each x lane meets its own w lane; the result is the same
** sum as the scalar loop in another order, hence the same bits whenever no
** partial sum overflows — which ml_dot_fits() guarantees before any call.
**
** The file is included, not compiled on its own: the includer defines the
** four operations first, as the ACLE intrinsics on an __ARM_FEATURE_DSP
** target (ml/dot.c) or as portable C emulations (the host test
** tests/unit/test_ml_dot_dsp.c, which checks this code against the scalar
** loop bit for bit):
**   ML_SXTB16(v)       lanes (int16)byte0, (int16)byte2 of v
**   ML_SXTB16_ROR8(v)  lanes (int16)byte1, (int16)byte3 of v
**   ML_SADD16(a, b)    lane-wise int16 add
**   ML_SMLAD(a, b, c)  c + a.lo*b.lo + a.hi*b.hi (int32)
** All values are int32_t bit patterns holding two int16 lanes.
*/
#ifndef ML_DOT_DSP_H
#define ML_DOT_DSP_H

#include <stdint.h>
#include <string.h>

/* Both offsets replicated into the two int16 lanes of a word. */
static inline int32_t ml_dsp_dup16(int32_t v)
{
    uint32_t lane = (uint32_t)v & 0xFFFFu;
    return (int32_t)(lane | (lane << 16));
}

/* Four bytes as one word.  __builtin_memcpy stays an (unaligned) LDR even
** under -ffreestanding, where a plain memcpy becomes a library call. */
static inline int32_t ml_dsp_read4(const int8_t *p)
{
    int32_t v;
#if defined(__GNUC__)
    __builtin_memcpy(&v, p, 4);
#else
    memcpy(&v, p, 4);
#endif
    return v;
}

static inline int32_t ml_dot_offset_s8_dual(const int8_t *x, int32_t x_offset,
                                            const int8_t *w, int32_t w_offset,
                                            int32_t n)
{
    const int32_t xo = ml_dsp_dup16(x_offset), wo = ml_dsp_dup16(w_offset);
    int32_t acc = 0;
    for (; n >= 4; n -= 4, x += 4, w += 4) {
        int32_t xv, wv, x02, x13, w02, w13;
        xv = ml_dsp_read4(x); /* one unaligned LDR on Cortex-M4/M7 */
        wv = ml_dsp_read4(w);
        x02 = ML_SADD16(ML_SXTB16(xv), xo);
        x13 = ML_SADD16(ML_SXTB16_ROR8(xv), xo);
        w02 = ML_SADD16(ML_SXTB16(wv), wo);
        w13 = ML_SADD16(ML_SXTB16_ROR8(wv), wo);
        acc = ML_SMLAD(x02, w02, acc);
        acc = ML_SMLAD(x13, w13, acc);
    }
    for (; n > 0; n--)
        acc += ((int32_t)*x++ + x_offset) * ((int32_t)*w++ + w_offset);
    return acc;
}

#endif /* ML_DOT_DSP_H */
