/*
** test_ml_dot_dsp.c — the SMLAD dot product (ml/dot_dsp.h) run on the host
** through portable emulations of the four Arm DSP instructions, against
** the scalar dot product the host build uses (ml_dot_offset_s8).
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

#define ML_SXTB16(v) emu_sxtb16(v)
#define ML_SXTB16_ROR8(v) emu_sxtb16_ror8(v)
#define ML_SADD16(a, b) emu_sadd16(a, b)
#define ML_SMLAD(a, b, c) emu_smlad(a, b, c)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dual_equals_scalar_random),
        cmocka_unit_test(dual_equals_scalar_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
