/*
** test_ml_softmax.c — SOFTMAX int8 (spec §2.11).
**
** Expected values: the test vector printed in spec §2.11 (copied there from
** CMSIS-NN's softmax case), and cases whose probabilities are exact
** (a single element: 1 -> 256/256 saturates to 127; k equal elements:
** 1/k -> 256/k - 128).  The full CMSIS-NN softmax case runs when ../shared
** exists.
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

/* Parameters of the spec §2.11 vector (beta * input_scale scaled by 2^26:
** multiplier 1077952640, left shift 19, diff_min -3968). */
static const ml_softmax_params spec_params = {1077952640, 19, -3968};

static void softmax_spec_vector(void **state)
{
    static const int8_t x[5] = {101, 49, 6, -34, -75};
    static const int8_t want[5] = {-57, -70, -79, -86, -92};
    int8_t y[5];
    (void)state;
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 5, x, y), RT_OK);
    assert_memory_equal(y, want, 5);
}

static void softmax_exact_probabilities(void **state)
{
    /* one element: p = 1, 256 * 1 - 128 = 128 saturates to 127 */
    static const int8_t one[1] = {-7};
    /* two equal: p = 1/2 -> 128 - 128 = 0 */
    static const int8_t two[2] = {33, 33};
    /* four equal: 64 - 128 = -64 */
    static const int8_t four[4] = {-128, -128, -128, -128};
    int8_t y[256], x[600];
    int i;
    (void)state;
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 1, one, y), RT_OK);
    assert_int_equal(y[0], 127);
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 2, two, y), RT_OK);
    assert_int_equal(y[0], 0);
    assert_int_equal(y[1], 0);
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 4, four, y), RT_OK);
    for (i = 0; i < 4; i++)
        assert_int_equal(y[i], -64);
    /* 256 equal: 1/256 -> 1 - 128 = -127 (the exponent reaches 31 here) */
    memset(x, 5, 600);
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 256, (const int8_t *)x,
                                   y), RT_OK);
    for (i = 0; i < 256; i++)
        assert_int_equal(y[i], -127);
}

static void softmax_many_equal(void **state)
{
    /* 600 equal: 256/600 = 0.43 rounds to 0 -> -128 (the path where TFLM
    ** would shift by 32 bits; see softmax.c) */
    int8_t x[600], y[600];
    int i;
    (void)state;
    memset(x, 5, sizeof x);
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 600, x, y), RT_OK);
    for (i = 0; i < 600; i++)
        assert_int_equal(y[i], -128);
}

static void softmax_diff_min_cutoff(void **state)
{
    /* with diff_min = -10, an element 11 below the max is cut off (-128)
    ** and does not count in the sum: the other two equal elements are
    ** 1/2 each -> 0. */
    ml_softmax_params p = spec_params;
    static const int8_t x[3] = {20, 9, 20};
    int8_t y[3];
    (void)state;
    p.diff_min = -10;
    assert_int_equal(ml_softmax_s8(&p, 1, 3, x, y), RT_OK);
    assert_int_equal(y[0], 0);
    assert_int_equal(y[1], -128);
    assert_int_equal(y[2], 0);
}

static void softmax_rows_independent(void **state)
{
    /* two rows: the spec row and a single pair; rows do not mix */
    static const int8_t x[7] = {101, 49, 6, -34, -75, 1, 1};
    static const int8_t want[7] = {-57, -70, -79, -86, -92, 0, 0};
    int8_t y[7];
    (void)state;
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 5, x, y), RT_OK);
    assert_int_equal(ml_softmax_s8(&spec_params, 1, 2, x + 5, y + 5), RT_OK);
    assert_memory_equal(y, want, 7);
    assert_int_equal(ml_softmax_s8(&spec_params, 0, 5, x, y), RT_OK);
    {
        ml_softmax_params p = spec_params;
        p.input_left_shift = 32;
        assert_int_equal(ml_softmax_s8(&p, 1, 5, x, y), RT_ERR_ARG);
    }
}

static void softmax_golden(void **state)
{
    ml_golden *g = ml_golden_load("softmax");
    const int8_t *x, *ref;
    size_t nx, nref;
    ml_softmax_params p;
    int32_t rows, size;
    int8_t *y;
    (void)state;
    if (!g)
        skip();
    rows = (int32_t)ml_golden_int(g, "SOFTMAX_NUM_ROWS");
    size = (int32_t)ml_golden_int(g, "SOFTMAX_ROW_SIZE");
    p.input_multiplier = (int32_t)ml_golden_int(g, "SOFTMAX_INPUT_MULT");
    p.input_left_shift = (int32_t)ml_golden_int(g, "SOFTMAX_INPUT_LEFT_SHIFT");
    p.diff_min = (int32_t)ml_golden_int(g, "SOFTMAX_DIFF_MIN");
    x = ml_golden_s8(g, "softmax_input", &nx);
    ref = ml_golden_s8(g, "softmax_output_ref", &nref);
    assert_non_null(x);
    assert_non_null(ref);
    assert_int_equal(nx, (size_t)(rows * size));
    assert_int_equal(nref, nx);
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_softmax_s8(&p, rows, size, x, y), RT_OK);
    assert_memory_equal(y, ref, nref);
    free(y);
    ml_golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(softmax_spec_vector),
        cmocka_unit_test(softmax_exact_probabilities),
        cmocka_unit_test(softmax_many_equal),
        cmocka_unit_test(softmax_diff_min_cutoff),
        cmocka_unit_test(softmax_rows_independent),
        cmocka_unit_test(softmax_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
