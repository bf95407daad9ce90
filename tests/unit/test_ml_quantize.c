/*
** test_ml_quantize.c — QUANTIZE (int8 requantize, float32 -> int8),
** DEQUANTIZE (int8 -> float32) and the copy used for RESHAPE.
**
** Hand-derived: scale ratios chosen so every step is exact or a visible
** tie; float cases use values exactly representable in float32, so the
** expected float results are exact.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "ml/ml.h"

static void requantize_hand(void **state)
{
    /* s_in/s_out = 0.5 -> (2^30, 0); zp in 0, out 10:
    **   5 -> SRDHM(5, 2^30) = 2.5 -> 3 (ties toward +inf) -> 13
    **   -5 -> -2.5 -> -2 -> 8
    **   127 -> 63.5 -> 64 -> 74
    ** s_in/s_out = 4 -> (2^30, 3); zp in -1:
    **   100 -> 101 * 4 = 404 -> 127;  -128 -> -127 * 4 -> -128;
    **   2 -> 3 * 4 = 12 + 10 = 22 */
    static const int8_t x[3] = {5, -5, 127};
    static const int8_t want[3] = {13, 8, 74};
    static const int8_t x2[3] = {100, -128, 2};
    static const int8_t want2[3] = {127, -128, 22};
    ml_requantize_params p = {0, 10, 1 << 30, 0};
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_requantize_s8(&p, 3, x, y), RT_OK);
    assert_memory_equal(y, want, 3);
    p.input_zero_point = -1;
    p.shift = 3;
    assert_int_equal(ml_requantize_s8(&p, 3, x2, y), RT_OK);
    assert_memory_equal(y, want2, 3);
    p.shift = 31;
    assert_int_equal(ml_requantize_s8(&p, 3, x2, y), RT_ERR_ARG);
}

static void quantize_float_hand(void **state)
{
    /* scale 0.5, zp -3:  x / 0.5 then round half away from zero, + zp
    **   1.25 -> 2.5 -> 3 -> 0        -1.25 -> -2.5 -> -3 -> -6
    **   0.7  -> 1.4 -> 1 -> -2       -0.7  -> -1.4 -> -1 -> -4
    **   1000 -> 2000 -> 127          -1000 -> -128
    **   NaN -> zp -3;  +inf -> 127;  -inf -> -128;  1e30 -> 127
    **   4194304.5 / 0.5 = 8388609 (2^23 + 1, already integral) -> 127 */
    const float x[11] = {1.25f, -1.25f, 0.7f, -0.7f, 1000.0f, -1000.0f,
                         NAN, INFINITY, -INFINITY, 1e30f, 4194304.5f};
    static const int8_t want[11] = {0, -6, -2, -4, 127, -128, -3, 127, -128,
                                    127, 127};
    ml_quantize_params p = {0.5f, -3};
    int8_t y[11];
    (void)state;
    assert_int_equal(ml_quantize_f32_s8(&p, 11, x, y), RT_OK);
    assert_memory_equal(y, want, 11);
    p.scale = 0.0f;
    assert_int_equal(ml_quantize_f32_s8(&p, 11, x, y), RT_ERR_ARG);
}

static void quantize_float_ties_near_integers(void **state)
{
    /* scale 1: 0.49999997 (the float just below 0.5) -> 0; 0.5 -> 1;
    ** 2.5 -> 3; -0.5 -> -1; -3.5 -> -4 (half away from zero, as roundf) */
    const float x[5] = {0.49999997f, 0.5f, 2.5f, -0.5f, -3.5f};
    static const int8_t want[5] = {0, 1, 3, -1, -4};
    ml_quantize_params p = {1.0f, 0};
    int8_t y[5];
    (void)state;
    assert_int_equal(ml_quantize_f32_s8(&p, 5, x, y), RT_OK);
    assert_memory_equal(y, want, 5);
}

static void dequantize_hand(void **state)
{
    /* scale 0.5, zp -3: (x + 3) * 0.5, exact in float32 */
    static const int8_t x[4] = {5, -128, 127, -3};
    const float want[4] = {4.0f, -62.5f, 65.0f, 0.0f};
    ml_quantize_params p = {0.5f, -3};
    float y[4];
    int i;
    (void)state;
    assert_int_equal(ml_dequantize_s8_f32(&p, 4, x, y), RT_OK);
    for (i = 0; i < 4; i++)
        assert_true(memcmp(&y[i], &want[i], sizeof(float)) == 0);
}

static void dequantize_matches_double(void **state)
{
    /* TFLM computes (float)((double)scale * (x - zp)); the float32 product
    ** must round to the same value for every int8 x (spec: the double
    ** product is exact).  Checked here for an awkward scale. */
    ml_quantize_params p = {0.0123456789f, 17};
    int8_t x[256];
    float y[256];
    int i;
    (void)state;
    for (i = 0; i < 256; i++)
        x[i] = (int8_t)(i - 128);
    assert_int_equal(ml_dequantize_s8_f32(&p, 256, x, y), RT_OK);
    for (i = 0; i < 256; i++) {
        float ref = (float)((double)p.scale * (double)(x[i] - p.zero_point));
        assert_true(memcmp(&y[i], &ref, sizeof(float)) == 0);
    }
}

static void copy_hand(void **state)
{
    int8_t buf[6] = {1, 2, 3, 4, 5, 6};
    static const int8_t want[6] = {1, 1, 2, 3, 4, 6};
    (void)state;
    assert_int_equal(ml_copy_s8(4, buf, buf + 1), RT_OK); /* overlapping */
    assert_memory_equal(buf, want, 6);
    assert_int_equal(ml_copy_s8(0, buf, buf + 1), RT_OK);
    assert_int_equal(ml_copy_s8(-1, buf, buf + 1), RT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(requantize_hand),
        cmocka_unit_test(quantize_float_hand),
        cmocka_unit_test(quantize_float_ties_near_integers),
        cmocka_unit_test(dequantize_hand),
        cmocka_unit_test(dequantize_matches_double),
        cmocka_unit_test(copy_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
