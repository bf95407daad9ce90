/*
** test_ml_activation.c — LOGISTIC, TANH, table lookup, RELU and clamp
** (spec §2.12, §2.13; TFLM activations_common.cc for RELU/RELU6).
**
** No CMSIS-NN vectors exist for these, so expected values are derived by
** hand.  For input scale 1/16, zero point 0, the host parameters are
** (spec §2.12):  real = 2^-4 * 2^27 = 2^23 = 0.5 * 2^24 -> left shift 24,
** multiplier round(0.5 * 2^31) = 2^30; radius = floor(15 * 2^27 / 2^24) =
** 120.  Then MBQM(16, 2^30, 24) = SRDHM(2^28, 2^30) = 2^27, i.e. 1.0 in
** Q4.27: input 16 means exactly 1.0, input 8 means 0.5.
**   logistic(1)   = 0.731059 -> *256 = 187.15 -> 187 - 128 = 59
**   logistic(-1)  = 0.268941 -> 68.85 -> 69 - 128 = -59
**   logistic(0.5) = 0.622459 -> 159.35 -> 159 - 128 = 31
**   tanh(1)       = 0.761594 -> *128 = 97.48 -> 97
**   tanh(0.5)     = 0.462117 -> 59.15 -> 59
** gemmlowp's fixed-point functions are accurate to ~1e-6, far inside the
** distance of each of these from a rounding tie (>= 0.02 units).
** A sweep also checks every int8 input against the float function within
** one unit, as an independent plausibility check of the fixed point code.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "ml/ml.h"

static const ml_logistic_params sixteenth = {0, 120, 1 << 30, 24};

static void logistic_hand(void **state)
{
    static const int8_t x[8] = {0, 16, -16, 8, 120, -120, 119, 127};
    static const int8_t want[8] = {0, 59, -59, 31, 127, -128, 127, 127};
    int8_t y[8];
    (void)state;
    assert_int_equal(ml_logistic_s8(&sixteenth, 8, x, y), RT_OK);
    assert_memory_equal(y, want, 8);
}

static void tanh_hand(void **state)
{
    static const int8_t x[7] = {0, 16, -16, 8, -8, 120, -120};
    static const int8_t want[7] = {0, 97, -97, 59, -59, 127, -128};
    int8_t y[7];
    (void)state;
    assert_int_equal(ml_tanh_s8(&sixteenth, 7, x, y), RT_OK);
    assert_memory_equal(y, want, 7);
}

/* The host computation of spec §2.12 (double, raw frexp), for the sweep. */
static ml_logistic_params host_params(float scale, int32_t zp)
{
    ml_logistic_params p;
    int shift;
    double q = frexp((double)scale * (double)(1 << 27), &shift);
    double radius = floor(15.0 * (double)(1 << 27) / ldexp(1.0, shift));
    p.input_zero_point = zp;
    p.input_multiplier = (int32_t)round(q * 2147483648.0);
    p.input_left_shift = shift;
    p.input_range_radius = radius > 2147483647.0 ? INT32_MAX : (int32_t)radius;
    return p;
}

static void sweep(float scale, int32_t zp)
{
    ml_logistic_params p = host_params(scale, zp);
    int8_t lut[ML_LUT_SIZE], x[256], y[256], z[256];
    int i;
    for (i = 0; i < 256; i++)
        x[i] = (int8_t)(i - 128);
    assert_int_equal(ml_logistic_s8(&p, 256, x, y), RT_OK);
    assert_int_equal(ml_logistic_lut_fill_s8(&p, lut), RT_OK);
    assert_int_equal(ml_lut_s8(lut, 256, x, z), RT_OK);
    assert_memory_equal(y, z, 256);
    for (i = 0; i < 256; i++) {
        double r = 1.0 / (1.0 + exp(-(double)scale * (x[i] - zp)));
        double f = round(r * 256.0) - 128.0;
        if (f > 127.0)
            f = 127.0;
        assert_true(fabs((double)y[i] - f) <= 1.0);
    }
    assert_int_equal(ml_tanh_s8(&p, 256, x, y), RT_OK);
    assert_int_equal(ml_tanh_lut_fill_s8(&p, lut), RT_OK);
    assert_int_equal(ml_lut_s8(lut, 256, x, z), RT_OK);
    assert_memory_equal(y, z, 256);
    for (i = 0; i < 256; i++) {
        double f = round(tanh((double)scale * (x[i] - zp)) * 128.0);
        if (f > 127.0)
            f = 127.0;
        assert_true(fabs((double)y[i] - f) <= 1.0);
    }
}

static void sigmoid_sweeps(void **state)
{
    (void)state;
    sweep(1.0f / 16.0f, 0);
    sweep(0.1f, -50);
    sweep(0.0234375f, 17);
    sweep(1e-5f, 3); /* tiny scale: negative left shift, all inside radius */
}

static void relu_hand(void **state)
{
    /* same scale (2^30, 1), zp -10: act.min = max(-128, -10) = -10:
    **   -50 -> -10,  20 -> 20.
    ** input scale half the output's (2^30, 0), zp -10 both:
    **   20 -> -10 + (30 * 0.5) = 5;  -9 -> -10 + SRDHM(1, 2^30) = -10 + 1
    **   (0.5 rounds up) = -9 */
    static const int8_t x[3] = {-50, 20, -9};
    ml_relu_params p = {-10, -10, 1 << 30, 1, {-10, 127}};
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_relu_s8(&p, 2, x, y), RT_OK);
    assert_int_equal(y[0], -10);
    assert_int_equal(y[1], 20);
    p.shift = 0;
    assert_int_equal(ml_relu_s8(&p, 3, x, y), RT_OK);
    assert_int_equal(y[1], 5);
    assert_int_equal(y[2], -9);
}

static void clamp_hand(void **state)
{
    /* RELU6 with zp -10, scale 0.1: act = [-10, -10 + round(6/0.1) = 50];
    ** in place */
    ml_activation act = {-10, 50};
    int8_t x[4] = {-128, -10, 49, 100};
    static const int8_t want[4] = {-10, -10, 49, 50};
    (void)state;
    assert_int_equal(ml_clamp_s8(&act, 4, x, x), RT_OK);
    assert_memory_equal(x, want, 4);
    act.min = 60;
    assert_int_equal(ml_clamp_s8(&act, 4, x, x), RT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(logistic_hand),
        cmocka_unit_test(tanh_hand),
        cmocka_unit_test(sigmoid_sweeps),
        cmocka_unit_test(relu_hand),
        cmocka_unit_test(clamp_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
