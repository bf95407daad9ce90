/*
** test_ml_pool.c — AVERAGE_POOL_2D and MAX_POOL_2D int8.
**
** Hand-derived cases (spec §2.9) cover the half-away-from-zero rounding of
** the average, padding excluded from the count, clamping and the empty
** window; the CMSIS-NN golden vectors (avgpooling_1, avgpooling_2,
** maxpooling) run when ../shared exists.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ml/ml.h"
#include "tests/unit/support/ml_golden.h"
#include "tests/unit/support/ml_test_util.h"

static void avg_hand_rounding(void **state)
{
    /* 1x2 windows, stride 2, over [1, 2, -1, -2]:
    **   (1+2)/2 = 1.5  -> (3 + 1)/2 = 2
    **   (-1-2)/2 = -1.5 -> (-3 - 1)/2 = -2   (half away from zero) */
    static const int8_t x[4] = {1, 2, -1, -2};
    ml_pool_params p = {1, 2, 1, 2, 0, 0, {-128, 127}};
    ml_dims in = ml_test_dims(1, 1, 4, 1), out = ml_test_dims(1, 1, 2, 1);
    int8_t y[2];
    (void)state;
    assert_int_equal(ml_avg_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_int_equal(y[0], 2);
    assert_int_equal(y[1], -2);
}

static void pool_hand_padding_excluded(void **state)
{
    /* [4, 5, 6], 1x2 windows, stride 2, pad 1 on the left:
    **   window 0 covers (pad, 4): count 1 -> 4       max 4
    **   window 1 covers (5, 6):   11/2 = 5.5 -> 6    max 6
    ** Two channels interleaved (NHWC): channel 1 = [-4, -5, -6]:
    **   -4; -11/2 = -5.5 -> -6; max -4, -5 */
    static const int8_t x[6] = {4, -4, 5, -5, 6, -6};
    static const int8_t want_avg[4] = {4, -4, 6, -6};
    static const int8_t want_max[4] = {4, -4, 6, -5};
    ml_pool_params p = {1, 2, 1, 2, 0, 1, {-128, 127}};
    ml_dims in = ml_test_dims(1, 1, 3, 2), out = ml_test_dims(1, 1, 2, 2);
    int8_t y[4];
    (void)state;
    assert_int_equal(ml_avg_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_memory_equal(y, want_avg, 4);
    assert_int_equal(ml_max_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_memory_equal(y, want_max, 4);

    /* fused clamp [-5, 5]: avg [4, -4, 5, -5], max [4, -4, 5, -5] */
    p.activation.min = -5;
    p.activation.max = 5;
    assert_int_equal(ml_avg_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_int_equal(y[2], 5);
    assert_int_equal(y[3], -5);
    assert_int_equal(ml_max_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_int_equal(y[2], 5);
}

static void pool_hand_extremes(void **state)
{
    /* a 2x2 window of -128s averages to -128; of 127s to 127 */
    static const int8_t lo[4] = {-128, -128, -128, -128};
    static const int8_t hi[4] = {127, 127, 127, 127};
    ml_pool_params p = {1, 1, 2, 2, 0, 0, {-128, 127}};
    ml_dims in = ml_test_dims(1, 2, 2, 1), out = ml_test_dims(1, 1, 1, 1);
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_avg_pool_s8(&p, &in, lo, &out, y), RT_OK);
    assert_int_equal(y[0], -128);
    assert_int_equal(ml_avg_pool_s8(&p, &in, hi, &out, y), RT_OK);
    assert_int_equal(y[0], 127);
    assert_int_equal(ml_max_pool_s8(&p, &in, lo, &out, y), RT_OK);
    assert_int_equal(y[0], -128);
}

static void pool_hand_empty_window(void **state)
{
    /* pad 3 with a 1x1 window: output 0 sees only padding.  TFLM's average
    ** pool fails there; max pool gives the int8 minimum (then clamped). */
    static const int8_t x[1] = {5};
    ml_pool_params p = {1, 1, 1, 1, 0, 3, {-100, 127}};
    ml_dims in = ml_test_dims(1, 1, 1, 1), out = ml_test_dims(1, 1, 1, 1);
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_avg_pool_s8(&p, &in, x, &out, y), RT_ERR_ARG);
    assert_int_equal(ml_max_pool_s8(&p, &in, x, &out, y), RT_OK);
    assert_int_equal(y[0], -100);
}

static void run_golden_pool(const char *name, const char *prefix, bool avg)
{
    ml_golden *g = ml_golden_load(name);
    char key[128], a[128];
    const int8_t *x, *ref;
    size_t nx, nref;
    ml_pool_params p;
    ml_dims in, out;
    int8_t *y;
    if (!g)
        skip();
#define CFG(s) (snprintf(key, sizeof key, "%s_%s", prefix, s), \
                (int32_t)ml_golden_int(g, key))
    in = ml_test_dims(CFG("INPUT_N"), CFG("INPUT_H"), CFG("INPUT_W"),
                      CFG("INPUT_C"));
    out = ml_test_dims(CFG("INPUT_N"), CFG("OUTPUT_H"), CFG("OUTPUT_W"),
                       CFG("OUTPUT_C"));
    p.stride_h = CFG("STRIDE_H");
    p.stride_w = CFG("STRIDE_W");
    p.filter_h = CFG("FILTER_H");
    p.filter_w = CFG("FILTER_W");
    p.pad_h = CFG("PADDING_H");
    p.pad_w = CFG("PADDING_W");
    p.activation.min = CFG("ACTIVATION_MIN");
    p.activation.max = CFG("ACTIVATION_MAX");
#undef CFG
    snprintf(a, sizeof a, "%s_input_tensor", name);
    x = ml_golden_s8(g, a, &nx);
    snprintf(a, sizeof a, "%s_output", name);
    ref = ml_golden_s8(g, a, &nref);
    assert_non_null(x);
    assert_non_null(ref);
    assert_int_equal(nx, (size_t)(in.n * in.h * in.w * in.c));
    assert_int_equal(nref, (size_t)(out.n * out.h * out.w * out.c));
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(avg ? ml_avg_pool_s8(&p, &in, x, &out, y)
                         : ml_max_pool_s8(&p, &in, x, &out, y),
                     RT_OK);
    assert_memory_equal(y, ref, nref);
    free(y);
    ml_golden_free(g);
}

static void avg_golden_1(void **s) { (void)s; run_golden_pool("avgpooling_1", "AVGPOOLING_1", true); }
static void avg_golden_2(void **s) { (void)s; run_golden_pool("avgpooling_2", "AVGPOOLING_2", true); }
static void max_golden(void **s) { (void)s; run_golden_pool("maxpooling", "MAXPOOLING", false); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(avg_hand_rounding),
        cmocka_unit_test(pool_hand_padding_excluded),
        cmocka_unit_test(pool_hand_extremes),
        cmocka_unit_test(pool_hand_empty_window),
        cmocka_unit_test(avg_golden_1),
        cmocka_unit_test(avg_golden_2),
        cmocka_unit_test(max_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
