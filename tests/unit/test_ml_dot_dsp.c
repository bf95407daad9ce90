/*
** test_ml_dot_dsp.c — the SMLAD dot product (ml/dot_dsp.h) run on the host
** through portable emulations of the four Arm DSP instructions, against
** the scalar dot product the host build uses (ml_dot_offset_s8), and the
** blocked forms (2x2, 1x2 matrix blocks; four-channel depthwise taps)
** against plain reference sums written here, and the split-shift
** requantization against ml_requant_acc_s8.
**
** The emulations follow the Armv7-M ARM pseudocode: SXTB16 sign-extends
** bytes 0 and 2 into the two halfwords; SADD16 adds halfwords modulo 2^16;
** SMLAD adds both halfword products to the accumulator modulo 2^32.
** Equality is required bit for bit, for lengths that exercise the 4-wide
** loop and its 0..3 element tail, every offset pattern the kernels use,
** and the int8 extremes.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ml/dot.h"

static int32_t lane_lo(int32_t v)
{
    int32_t lo = (int32_t)((uint32_t)v & 0xFFFFu);
    return lo >= 0x8000 ? lo - 0x10000 : lo;
}

static int32_t lane_hi(int32_t v)
{
    int32_t hi = (int32_t)(((uint32_t)v >> 16) & 0xFFFFu);
    return hi >= 0x8000 ? hi - 0x10000 : hi;
}

static int32_t pack(int32_t lo, int32_t hi)
{
    return (int32_t)(((uint32_t)lo & 0xFFFFu) | (((uint32_t)hi & 0xFFFFu) << 16));
}

static int32_t byte_at(int32_t v, int k)
{
    int32_t b = (int32_t)(((uint32_t)v >> (8 * k)) & 0xFFu);
    return b >= 0x80 ? b - 0x100 : b;
}

static int32_t emu_sxtb16(int32_t v) { return pack(byte_at(v, 0), byte_at(v, 2)); }
static int32_t emu_sxtb16_ror8(int32_t v) { return pack(byte_at(v, 1), byte_at(v, 3)); }
static int32_t emu_sadd16(int32_t a, int32_t b)
{
    return pack(lane_lo(a) + lane_lo(b), lane_hi(a) + lane_hi(b));
}
static int32_t emu_smlad(int32_t a, int32_t b, int32_t acc)
{
    uint32_t r = (uint32_t)acc + (uint32_t)(lane_lo(a) * lane_lo(b)) +
                 (uint32_t)(lane_hi(a) * lane_hi(b));
    return (int32_t)r;
}
/* SMLABB/SMLATT: one halfword product (bottom*bottom, top*top) added to
** the accumulator modulo 2^32 */
static int32_t emu_smlabb(int32_t a, int32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(lane_lo(a) * lane_lo(b)));
}
static int32_t emu_smlatt(int32_t a, int32_t b, int32_t acc)
{
    return (int32_t)((uint32_t)acc + (uint32_t)(lane_hi(a) * lane_hi(b)));
}

#define ML_SXTB16(v) emu_sxtb16(v)
#define ML_SXTB16_ROR8(v) emu_sxtb16_ror8(v)
#define ML_SADD16(a, b) emu_sadd16(a, b)
#define ML_SMLAD(a, b, c) emu_smlad(a, b, c)
#define ML_SMLABB(a, b, c) emu_smlabb(a, b, c)
#define ML_SMLATT(a, b, c) emu_smlatt(a, b, c)
#include "ml/dot_dsp.h"

static void dual_equals_scalar_random(void **state)
{
    static const int32_t offsets[][2] = {
        {0, 0}, {128, 0}, {-127, 0}, {5, 0}, {128, 128}, {-127, -127}, {3, -7},
    };
    int8_t x[131], w[131];
    int n, o, trial;
    (void)state;
    srand(12345);
    for (trial = 0; trial < 50; trial++) {
        int i;
        for (i = 0; i < 131; i++) {
            x[i] = (int8_t)(rand() % 256 - 128);
            w[i] = (int8_t)(rand() % 256 - 128);
        }
        for (n = 0; n <= 131; n++)
            for (o = 0; o < 7; o++) {
                /* odd start addresses too: the DSP loop reads unaligned */
                int s = trial % 4 < n ? trial % 4 : 0;
                int32_t a = ml_dot_offset_s8(x + s, offsets[o][0], w + s,
                                             offsets[o][1], n - s);
                int32_t b = ml_dot_offset_s8_dual(x + s, offsets[o][0], w + s,
                                                  offsets[o][1], n - s);
                assert_int_equal(a, b);
            }
    }
}

static void dual_equals_scalar_extremes(void **state)
{
    /* all -128 against all -128 with offset 128 on x (x + off = 0) and
    ** against 127: the largest products, at the largest depth ml_dot_fits
    ** allows for that offset (2^31-1 / (255*128) = 65793) */
    static int8_t x[65793], w[65793];
    int32_t n = 65793, i;
    (void)state;
    assert_true(ml_dot_fits(n, -127, 0));
    assert_false(ml_dot_fits(n + 1, -127, 0));
    for (i = 0; i < n; i++) {
        x[i] = -128;
        w[i] = -128;
    }
    /* x + (-127) = -255, w = -128: each product 32640 */
    assert_int_equal(ml_dot_offset_s8(x, -127, w, 0, n), 32640 * n);
    assert_int_equal(ml_dot_offset_s8_dual(x, -127, w, 0, n), 32640 * n);
    for (i = 0; i < n; i++)
        w[i] = (int8_t)(i % 2 ? 127 : -128);
    assert_int_equal(ml_dot_offset_s8(x, -127, w, 0, n),
                     ml_dot_offset_s8_dual(x, -127, w, 0, n));
}

/* Straightforward reference sums for the blocked kernels. */
static int32_t ref_dot(const int8_t *x, int32_t xo, const int8_t *w, int32_t n)
{
    int32_t a = 0, d;
    for (d = 0; d < n; d++)
        a += (x[d] + xo) * w[d];
    return a;
}

static void blocked_kernels_equal_reference(void **state)
{
    int8_t buf[4 * 140];
    int n, i, trial;
    (void)state;
    srand(777);
    for (trial = 0; trial < 20; trial++) {
        for (i = 0; i < (int)sizeof buf; i++)
            buf[i] = (int8_t)(trial == 0 ? (i % 2 ? 127 : -128)
                                         : rand() % 256 - 128);
        for (n = 1; n <= 137; n++) {
            /* rows at buf and buf + n (x), buf + 2n and buf + 3n (w);
            ** odd n makes every row start unaligned */
            const int8_t *x = buf, *w = buf + 2 * n;
            int32_t acc[4];
            ml_dsp_dot_2x2(x, w, n, n, acc);
            assert_int_equal(acc[0], ref_dot(x, 0, w, n));
            assert_int_equal(acc[1], ref_dot(x, 0, w + n, n));
            assert_int_equal(acc[2], ref_dot(x + n, 0, w, n));
            assert_int_equal(acc[3], ref_dot(x + n, 0, w + n, n));
            ml_dsp_dot_1x2(x, 128, w, w + n, n, acc);
            assert_int_equal(acc[0], ref_dot(x, 128, w, n));
            assert_int_equal(acc[1], ref_dot(x, 128, w + n, n));
            ml_dsp_dot_1x2(x + 1, -127, w, w + n, n, acc);
            assert_int_equal(acc[0], ref_dot(x + 1, -127, w, n));
        }
    }
}

static void dw4_equals_reference(void **state)
{
    /* a 5x6 image of 8 channels, filter 3x3 of 8 channels; block of
    ** channels 4..7 over taps starting at (1, 2), 2x3 taps, column step
    ** 2 pixels (dilation 2) */
    int8_t img[5 * 6 * 8], flt[3 * 3 * 8];
    const int32_t C = 8, W = 6;
    int32_t acc[4], j, ky, kx, trial, off;
    (void)state;
    srand(4242);
    for (trial = 0; trial < 50; trial++) {
        for (j = 0; j < (int32_t)sizeof img; j++)
            img[j] = (int8_t)(rand() % 256 - 128);
        for (j = 0; j < (int32_t)sizeof flt; j++)
            flt[j] = (int8_t)(rand() % 256 - 128);
        off = trial % 2 ? 128 : -127;
        ml_dsp_dw4(img + (1 * W + 2) * C + 4, flt + 4, 2, 2, W * C, 2 * C,
                   3 * C, C, off, acc);
        for (j = 0; j < 4; j++) {
            int32_t want = 0;
            for (ky = 0; ky < 2; ky++)
                for (kx = 0; kx < 2; kx++)
                    want += (img[((1 + ky) * W + 2 + 2 * kx) * C + 4 + j] + off) *
                            flt[(ky * 3 + kx) * C + 4 + j];
            assert_int_equal(acc[j], want);
        }
    }
}

static void dw4_shared_equals_reference(void **state)
{
    /* depth multiplier 4: one input channel of a 6x5 image feeds filters
    ** 4..7 of a 3x3x8 filter; 3x2 taps from (2, 1), column step 1 */
    int8_t img[6 * 5], flt[3 * 3 * 8];
    const int32_t W = 5, OC = 8;
    int32_t acc[4], j, ky, kx, trial;
    (void)state;
    srand(31337);
    for (trial = 0; trial < 50; trial++) {
        int32_t off = trial % 2 ? 128 : -127;
        for (j = 0; j < (int32_t)sizeof img; j++)
            img[j] = (int8_t)(rand() % 256 - 128);
        for (j = 0; j < (int32_t)sizeof flt; j++)
            flt[j] = (int8_t)(rand() % 256 - 128);
        ml_dsp_dw4_shared(img + 2 * W + 1, flt + 4, 3, 2, W, 1, 3 * OC, OC, off,
                          acc);
        for (j = 0; j < 4; j++) {
            int32_t want = 0;
            for (ky = 0; ky < 3; ky++)
                for (kx = 0; kx < 2; kx++)
                    want += (img[(2 + ky) * W + 1 + kx] + off) *
                            flt[(ky * 3 + kx) * OC + 4 + j];
            assert_int_equal(acc[j], want);
        }
    }
}

static void dw4x2_equals_two_dw4(void **state)
{
    /* positions at columns 1 and 3 (stride 2) of a 4x7x8 image, 3x2 taps */
    int8_t img[4 * 7 * 8], flt[3 * 3 * 8];
    const int32_t C = 8, W = 7;
    int32_t acc[8], one[4], j, trial;
    (void)state;
    srand(99);
    for (trial = 0; trial < 50; trial++) {
        int32_t off = trial % 3 == 0 ? 0 : trial % 3 == 1 ? 128 : -127;
        for (j = 0; j < (int32_t)sizeof img; j++)
            img[j] = (int8_t)(rand() % 256 - 128);
        for (j = 0; j < (int32_t)sizeof flt; j++)
            flt[j] = (int8_t)(rand() % 256 - 128);
        ml_dsp_dw4x2(img + (0 * W + 1) * C, 2 * C, flt, 3, 2, W * C, C, 3 * C,
                     C, off, acc);
        ml_dsp_dw4(img + (0 * W + 1) * C, flt, 3, 2, W * C, C, 3 * C, C, off,
                   one);
        for (j = 0; j < 4; j++)
            assert_int_equal(acc[j], one[j]);
        ml_dsp_dw4(img + (0 * W + 3) * C, flt, 3, 2, W * C, C, 3 * C, C, off,
                   one);
        for (j = 0; j < 4; j++)
            assert_int_equal(acc[4 + j], one[j]);
    }
}

static void requant_split_equals_requant(void **state)
{
    /* ml_dsp_requant_split against ml_requant_acc_s8 (ml_check.h, the
    ** rounding every kernel uses): every shift in [-31, 30]; multiplier
    ** 2^30 with accumulators in [-4096, 4096] (SRDHM halves them, so every
    ** rounding tie of the right shifts 1..12 occurs, for both signs), the
    ** extreme multipliers and accumulators, and random pairs; output
    ** offsets and clamps that keep the raw value visible (-128..127 with
    ** offset 0) or move it. */
    static const uint32_t accs[] = { 0u, 1u, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u,
                                     0x40000000u, 0xC0000000u, 12345u, 0xFFFF0000u };
    static const int32_t mults[] = { 0, 1, 0x40000000, 0x7FFFFFFF, 0x5A82799A };
    int32_t shift, a, i, k;
    (void)state;
    srand(2718);
    for (shift = -31; shift <= 30; shift++) {
        int32_t left = shift > 0 ? shift : 0, rm1 = (shift < 0 ? -shift : 0) - 1;
        for (a = -4096; a <= 4096; a++)
            assert_int_equal(
                ml_dsp_requant_split((uint32_t)a, 0x40000000, left, rm1, 0, -128, 127),
                ml_requant_acc_s8((uint32_t)a, 0x40000000, shift, 0, -128, 127));
        for (i = 0; i < (int32_t)(sizeof accs / sizeof accs[0]); i++)
            for (k = 0; k < (int32_t)(sizeof mults / sizeof mults[0]); k++)
                assert_int_equal(
                    ml_dsp_requant_split(accs[i], mults[k], left, rm1, 3, -100, 90),
                    ml_requant_acc_s8(accs[i], mults[k], shift, 3, -100, 90));
        for (i = 0; i < 2000; i++) {
            uint32_t acc = ((uint32_t)rand() << 16) ^ (uint32_t)rand();
            int32_t m = (int32_t)((((uint32_t)rand() << 16) ^ (uint32_t)rand()) & 0x7FFFFFFFu);
            int32_t oo = rand() % 256 - 128;
            assert_int_equal(ml_dsp_requant_split(acc, m, left, rm1, oo, -128, 127),
                             ml_requant_acc_s8(acc, m, shift, oo, -128, 127));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dual_equals_scalar_random),
        cmocka_unit_test(dual_equals_scalar_extremes),
        cmocka_unit_test(blocked_kernels_equal_reference),
        cmocka_unit_test(dw4_equals_reference),
        cmocka_unit_test(dw4_shared_equals_reference),
        cmocka_unit_test(dw4x2_equals_two_dw4),
        cmocka_unit_test(requant_split_equals_requant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
