/*
** test_ml_mean.c — MEAN int8 (spec §2.10), hand-derived.
**
** Every expected value is worked through the spec's folding of 1/n into
** the multiplier.  QuantizeMultiplier(1.0) = (2^30, 1).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ml/ml.h"
#include "tests/unit/support/ml_test_util.h"

static void mean_hand_spatial(void **state)
{
    /* [1,2,2,1] = [1,2,3,4], axes {1,2} (global average pool).
    ** n = 4: s = 63 - clz64(4) = 2 (min with 32 and 31+1 keeps 2);
    ** mult' = (2^30 << 2) / 4 = 2^30, shift' = 1 - 2 = -1.
    ** sum = 10: SRDHM(10, 2^30) = 5; RDBPOT(5, 1) = 2.5 -> 3. */
    static const int32_t d[4] = {1, 2, 2, 1};
    static const int8_t x[4] = {1, 2, 3, 4};
    ml_shape s = ml_test_shape(4, d);
    ml_mean_params p = {0, 0, 1 << 30, 1, (1u << 1) | (1u << 2)};
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_int_equal(y[0], 3);
}

static void mean_hand_truncated_multiplier(void **state)
{
    /* [3] = [1,1,2], axis 0, n = 3: s = 63 - clz64(3) = 1;
    ** mult' = 2^31 / 3 = 715827882 (truncated), shift' = 0.
    ** sum 4: SRDHM(4, 715827882) = (2863311528 + 2^30) / 2^31 = 1.83 -> 1.
    ** input zp 1: sum - 1*3 = 1 -> (715827882 + 2^30) / 2^31 = 0.83 -> 0;
    ** output zp -5 -> -5. */
    static const int32_t d[1] = {3};
    static const int8_t x[3] = {1, 1, 2};
    ml_shape s = ml_test_shape(1, d);
    ml_mean_params p = {0, 0, 1 << 30, 1, 1u};
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_int_equal(y[0], 1);
    p.input_zero_point = 1;
    p.output_zero_point = -5;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_int_equal(y[0], -5);
}

static void mean_hand_inner_and_outer_axes(void **state)
{
    /* [2,3] = [[1,2,3],[10,20,30]]:
    ** axis 1 (n = 3, mult' 715827882, shift' 0):
    **   row 0 sum 6:  SRDHM(6, m) = (4294967292 + 2^30)/2^31
    **                 = 2.4999999991 -> 2 (the truncated multiplier makes
    **                 the exact mean 2 come out just below 2, never above)
    **   row 1 sum 60: (42949672920 + 2^30)/2^31 = 20.49 -> 20
    ** axis 0 (n = 2: s = 1, mult' = 2^31/2 = 2^30, shift' = 0):
    **   columns 11, 22, 33 -> SRDHM(., 2^30) = 5.5 -> 6, 11, 16.5 -> 17 */
    static const int32_t d[2] = {2, 3};
    static const int8_t x[6] = {1, 2, 3, 10, 20, 30};
    static const int8_t want_rows[2] = {2, 20};
    static const int8_t want_cols[3] = {6, 11, 17};
    ml_shape s = ml_test_shape(2, d);
    ml_mean_params p = {0, 0, 1 << 30, 1, 1u << 1};
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_memory_equal(y, want_rows, 2);
    p.axis_mask = 1u;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_memory_equal(y, want_cols, 3);
}

static void mean_hand_scale_and_saturation(void **state)
{
    /* s_in/s_out = 2 -> (2^30, 2); [4] = [127,127,127,127], axis 0:
    ** n = 4, s = 2, mult' = 2^30, shift' = 0; sum 508 -> 254 -> 127.
    ** all -128 -> -256 -> -128. */
    static const int32_t d[1] = {4};
    static const int8_t hi[4] = {127, 127, 127, 127};
    static const int8_t lo[4] = {-128, -128, -128, -128};
    ml_shape s = ml_test_shape(1, d);
    ml_mean_params p = {0, 0, 1 << 30, 2, 1u};
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_mean_s8(&p, &s, hi, y), RT_OK);
    assert_int_equal(y[0], 127);
    assert_int_equal(ml_mean_s8(&p, &s, lo, y), RT_OK);
    assert_int_equal(y[0], -128);
}

static void mean_edge_shapes(void **state)
{
    /* no axis: each element requantized alone, n = 1: s = 0, mult' = 2^30,
    ** shift' = 1 -> identity */
    static const int32_t d[2] = {1, 3};
    static const int32_t dz[2] = {0, 3};
    static const int32_t dr[2] = {3, 0};
    static const int8_t x[3] = {-7, 0, 9};
    ml_shape s = ml_test_shape(2, d);
    ml_mean_params p = {0, 0, 1 << 30, 1, 0u};
    int8_t y[3] = {1, 1, 1};
    (void)state;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_memory_equal(y, x, 3);
    /* a reduced zero-size dimension: TFLM leaves zeros */
    s = ml_test_shape(2, dz);
    p.axis_mask = 1u;
    p.output_zero_point = 4;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_int_equal(y[0], 0);
    assert_int_equal(y[2], 0);
    /* a kept zero-size dimension: no output at all */
    s = ml_test_shape(2, dr);
    y[0] = 55;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_OK);
    assert_int_equal(y[0], 55);
    /* an axis beyond the rank */
    p.axis_mask = 1u << 2;
    assert_int_equal(ml_mean_s8(&p, &s, x, y), RT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mean_hand_spatial),
        cmocka_unit_test(mean_hand_truncated_multiplier),
        cmocka_unit_test(mean_hand_inner_and_outer_axes),
        cmocka_unit_test(mean_hand_scale_and_saturation),
        cmocka_unit_test(mean_edge_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
