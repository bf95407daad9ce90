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
** The file is included, not compiled on its own, by ml/dot.c and
** ml/matmul.c when ML_HAVE_DSP (dot.h); the four operations are then the
** ACLE intrinsics.  The host test tests/unit/test_ml_dot_dsp.c defines
** them first as portable C emulations and checks this code against the
** scalar loops bit for bit:
**   ML_SXTB16(v)       lanes (int16)byte0, (int16)byte2 of v
**   ML_SXTB16_ROR8(v)  lanes (int16)byte1, (int16)byte3 of v
**   ML_SADD16(a, b)    lane-wise int16 add
**   ML_SMLAD(a, b, c)  c + a.lo*b.lo + a.hi*b.hi (int32)
**   ML_SMLABB(a, b, c) c + a.lo*b.lo;  ML_SMLATT(a, b, c) c + a.hi*b.hi
** All values are int32_t bit patterns holding two int16 lanes.
*/
#ifndef ML_DOT_DSP_H
#define ML_DOT_DSP_H

#include <stdint.h>
#include <string.h>

#include "ml/ml_check.h"

#if !defined(ML_SXTB16)
/* No emulation supplied: the real instructions, through the ACLE. */
#include <arm_acle.h>
#define ML_DSP_NATIVE 1
/* SXTB16 with its built-in rotation: one instruction where gcc would
** emit a separate ROR before __sxtb16 (the ACLE has no rotated form). */
static inline int32_t ml_sxtb16_ror8(int32_t v)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}
#define ML_SXTB16(v) ((int32_t)__sxtb16((int32_t)(v)))
#define ML_SXTB16_ROR8(v) ml_sxtb16_ror8(v)
#define ML_SADD16(a, b) ((int32_t)__sadd16((int32_t)(a), (int32_t)(b)))
#define ML_SMLAD(a, b, c) \
    ((int32_t)__smlad((int32_t)(a), (int32_t)(b), (int32_t)(c)))
#define ML_SMLABB(a, b, c) \
    ((int32_t)__smlabb((int32_t)(a), (int32_t)(b), (int32_t)(c)))
#define ML_SMLATT(a, b, c) \
    ((int32_t)__smlatt((int32_t)(a), (int32_t)(b), (int32_t)(c)))
#endif

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

/* Two rows of x against two rows of w, raw values (no offsets): the rows
** are x, x + stride and w, w + stride, and
** acc[2*i + j] = Σ x_i[d] * w_j[d] for d < n.  Each word of x is unpacked
** once and used for both rows of w, each word of w once for both rows of
** x: 4 loads, 12 unpacks, 8 SMLAD per 16 multiply-accumulates.  Two
** pointers and a shared stride (register-offset loads) rather than four
** pointers keep the loop within the registers even at -Os. */
static inline void ml_dsp_dot_2x2(const int8_t *x, const int8_t *w,
                                  int32_t stride, int32_t n, int32_t acc[4])
{
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0;
    const int8_t *end = x + (n & ~3);
    for (; x < end; x += 4, w += 4) {
        int32_t wa = ml_dsp_read4(w), wb = ml_dsp_read4(w + stride);
        int32_t wa02 = ML_SXTB16(wa), wa13 = ML_SXTB16_ROR8(wa);
        int32_t wb02 = ML_SXTB16(wb), wb13 = ML_SXTB16_ROR8(wb);
        int32_t xv = ml_dsp_read4(x);
        int32_t x02 = ML_SXTB16(xv), x13 = ML_SXTB16_ROR8(xv);
        a00 = ML_SMLAD(x02, wa02, a00);
        a00 = ML_SMLAD(x13, wa13, a00);
        a01 = ML_SMLAD(x02, wb02, a01);
        a01 = ML_SMLAD(x13, wb13, a01);
        xv = ml_dsp_read4(x + stride);
        x02 = ML_SXTB16(xv);
        x13 = ML_SXTB16_ROR8(xv);
        a10 = ML_SMLAD(x02, wa02, a10);
        a10 = ML_SMLAD(x13, wa13, a10);
        a11 = ML_SMLAD(x02, wb02, a11);
        a11 = ML_SMLAD(x13, wb13, a11);
    }
    for (n &= 3; n > 0; n--, x++, w++) {
        int32_t xa = x[0], xb = x[stride], wa = w[0], wb = w[stride];
        a00 += xa * wa;
        a01 += xa * wb;
        a10 += xb * wa;
        a11 += xb * wb;
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

/* One row of x (plus x_offset) against two rows of w:
** acc[j] = Σ (x[d] + x_offset) * w_j[d].  x is unpacked and offset once
** for both rows of w. */
static inline void ml_dsp_dot_1x2(const int8_t *x, int32_t x_offset,
                                  const int8_t *w0, const int8_t *w1,
                                  int32_t n, int32_t acc[2])
{
    const int32_t xo = ml_dsp_dup16(x_offset);
    int32_t a0 = 0, a1 = 0;
    for (; n >= 4; n -= 4, x += 4, w0 += 4, w1 += 4) {
        int32_t xv = ml_dsp_read4(x);
        int32_t wa = ml_dsp_read4(w0), wb = ml_dsp_read4(w1);
        int32_t x02 = ML_SADD16(ML_SXTB16(xv), xo);
        int32_t x13 = ML_SADD16(ML_SXTB16_ROR8(xv), xo);
        a0 = ML_SMLAD(x02, ML_SXTB16(wa), a0);
        a0 = ML_SMLAD(x13, ML_SXTB16_ROR8(wa), a0);
        a1 = ML_SMLAD(x02, ML_SXTB16(wb), a1);
        a1 = ML_SMLAD(x13, ML_SXTB16_ROR8(wb), a1);
    }
    for (; n > 0; n--) {
        int32_t xv = (int32_t)*x++ + x_offset;
        a0 += xv * *w0++;
        a1 += xv * *w1++;
    }
    acc[0] = a0;
    acc[1] = a1;
}

/* Depthwise: four adjacent channels of ny x nx taps.  x and w point at the
** first tap, channel 0 of the block; rows of taps are row_step (input) and
** w_row_step (filter) bytes apart, columns col_step and w_col_step.
** acc[j] = Σ_taps (x[j] + x_offset) * w[j].  One word holds the four
** channels of a tap: SXTB16 splits it into channels (0, 2) and (1, 3);
** SMLABB/SMLATT accumulate the bottom and top lanes separately. */
static inline void ml_dsp_dw4(const int8_t *x, const int8_t *w, int32_t ny,
                              int32_t nx, int32_t row_step, int32_t col_step,
                              int32_t w_row_step, int32_t w_col_step,
                              int32_t x_offset, int32_t acc[4])
{
    const int32_t off2 = ml_dsp_dup16(x_offset);
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, ky, kx;
    for (ky = 0; ky < ny; ky++, x += row_step, w += w_row_step) {
        const int8_t *xp = x, *wp = w;
        for (kx = 0; kx < nx; kx++, xp += col_step, wp += w_col_step) {
            int32_t xv = ml_dsp_read4(xp), wv = ml_dsp_read4(wp);
            int32_t x02 = ML_SADD16(ML_SXTB16(xv), off2);
            int32_t x13 = ML_SADD16(ML_SXTB16_ROR8(xv), off2);
            int32_t w02 = ML_SXTB16(wv), w13 = ML_SXTB16_ROR8(wv);
            a0 = ML_SMLABB(x02, w02, a0);
            a2 = ML_SMLATT(x02, w02, a2);
            a1 = ML_SMLABB(x13, w13, a1);
            a3 = ML_SMLATT(x13, w13, a3);
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* ml_dsp_dw4 for a depth multiplier that is a multiple of 4: the four
** channels are four filters over ONE input channel, so each tap's input
** byte (plus offset) is duplicated into both lanes and multiplied with the
** unpacked filter word: acc[j] = Σ (x + x_offset) * w[j]. */
static inline void ml_dsp_dw4_shared(const int8_t *x, const int8_t *w,
                                     int32_t ny, int32_t nx, int32_t row_step,
                                     int32_t col_step, int32_t w_row_step,
                                     int32_t w_col_step, int32_t x_offset,
                                     int32_t acc[4])
{
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, ky, kx;
    for (ky = 0; ky < ny; ky++, x += row_step, w += w_row_step) {
        const int8_t *xp = x, *wp = w;
        for (kx = 0; kx < nx; kx++, xp += col_step, wp += w_col_step) {
            int32_t xx = ml_dsp_dup16((int32_t)*xp + x_offset);
            int32_t wv = ml_dsp_read4(wp);
            int32_t w02 = ML_SXTB16(wv), w13 = ML_SXTB16_ROR8(wv);
            a0 = ML_SMLABB(xx, w02, a0);
            a2 = ML_SMLATT(xx, w02, a2);
            a1 = ML_SMLABB(xx, w13, a1);
            a3 = ML_SMLATT(xx, w13, a3);
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/* ml_dsp_dw4 for two output positions at once whose in-image taps have
** the same shape: the second reads input at x + x2_step.  Each filter word
** is loaded and unpacked once for both: acc[j] and acc[4 + j]. */
static inline void ml_dsp_dw4x2(const int8_t *x, int32_t x2_step,
                                const int8_t *w, int32_t ny, int32_t nx,
                                int32_t row_step, int32_t col_step,
                                int32_t w_row_step, int32_t w_col_step,
                                int32_t x_offset, int32_t acc[8])
{
    const int32_t off2 = ml_dsp_dup16(x_offset);
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    int32_t ky, kx;
    for (ky = 0; ky < ny; ky++, x += row_step, w += w_row_step) {
        const int8_t *xp = x, *wp = w;
        for (kx = 0; kx < nx; kx++, xp += col_step, wp += w_col_step) {
            int32_t wv = ml_dsp_read4(wp);
            int32_t w02 = ML_SXTB16(wv), w13 = ML_SXTB16_ROR8(wv);
            int32_t xv = ml_dsp_read4(xp);
            int32_t x02 = ML_SADD16(ML_SXTB16(xv), off2);
            int32_t x13 = ML_SADD16(ML_SXTB16_ROR8(xv), off2);
            a0 = ML_SMLABB(x02, w02, a0);
            a2 = ML_SMLATT(x02, w02, a2);
            a1 = ML_SMLABB(x13, w13, a1);
            a3 = ML_SMLATT(x13, w13, a3);
            xv = ml_dsp_read4(xp + x2_step);
            x02 = ML_SADD16(ML_SXTB16(xv), off2);
            x13 = ML_SADD16(ML_SXTB16_ROR8(xv), off2);
            b0 = ML_SMLABB(x02, w02, b0);
            b2 = ML_SMLATT(x02, w02, b2);
            b1 = ML_SMLABB(x13, w13, b1);
            b3 = ML_SMLATT(x13, w13, b3);
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    acc[4] = b0;
    acc[5] = b1;
    acc[6] = b2;
    acc[7] = b3;
}

/* ml_requant_acc_s8 (ml_check.h) with the channel's shift split ahead of
** the loop that uses it: left = max(shift, 0) and rm1 = max(-shift, 0) - 1
** (-1 for no right shift).  For right = rm1 + 1 >= 1, RDBPOT(y, right) is
**     (((y - (y < 0)) >> (right - 1)) + 1) >> 1     (arithmetic shifts):
**   y >= 0: floor((floor(y / 2^(r-1)) + 1) / 2) = floor((y + 2^(r-1)) / 2^r),
**           the remainder rounded half up, as RDBPOT does for y >= 0;
**   y < 0:  floor((y - 1 + 2^(r-1)) / 2^r), one more than floor(y / 2^r)
**           exactly when the remainder is above 2^(r-1) — RDBPOT's
**           threshold mask/2 + 1 for a negative y.
** No overflow: with a multiplier in [0, 2^31) the SRDHM result y lies in
** [-2^31 + 1, 2^31 - 2], so y - 1 and the + 1 fit.  Four operations
** instead of RDBPOT's mask, threshold and compare. */
static inline int32_t ml_dsp_requant_split_raw(uint32_t acc, int32_t multiplier,
                                               int32_t left, int32_t rm1,
                                               int32_t output_offset)
{
    int32_t y = ml_srdhm_nonneg(ml_wrap_s32(acc << left), multiplier);
    if (rm1 >= 0)
        y = (((y + (y >> 31)) >> rm1) + 1) >> 1;
    return ml_wrap_s32((uint32_t)y + (uint32_t)output_offset);
}

static inline int8_t ml_dsp_requant_split(uint32_t acc, int32_t multiplier,
                                          int32_t left, int32_t rm1,
                                          int32_t output_offset,
                                          int32_t act_min, int32_t act_max)
{
    return ml_clamp_to_s8(ml_dsp_requant_split_raw(acc, multiplier, left, rm1,
                                                   output_offset),
                          act_min, act_max);
}

/* Clamp to [-128, 127]: with an activation range that is the whole int8
** range, the clamp of ml_clamp_to_s8 is this one SSAT. */
static inline int8_t ml_dsp_sat_s8(int32_t v)
{
#if defined(ML_DSP_NATIVE)
    int32_t r;
    __asm__("ssat %0, #8, %1" : "=r"(r) : "r"(v));
    return (int8_t)r;
#else
    return ml_clamp_to_s8(v, -128, 127);
#endif
}

#endif /* ML_DOT_DSP_H */
