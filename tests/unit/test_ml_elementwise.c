/*
** test_ml_elementwise.c — ADD and MUL int8, element-wise and broadcasting
** (spec §2.7, §2.8).
**
** Hand-derived values below (the fixed-point steps written out); the
** broadcast walk is checked against a direct index computation written
** independently in this file; the CMSIS-NN add and mul cases run when
** ../shared exists.
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

/* s1 = s2 = so, zero points 0: m1 = m2 = s/(2s) = 0.5 -> (2^30, 0);
** mo = 2s / (2^20 s) = 2^-19 = 0.5 * 2^-18 -> (2^30, -18). */
static ml_add_params add_same_scale(void)
{
    ml_add_params p = {0, 0, 0, 20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -18,
                       {-128, 127}};
    return p;
}

static void add_hand(void **state)
{
    /* 3 + 4: a = SRDHM(3 * 2^20, 2^30) = 1.5 * 2^20, b = 2 * 2^20,
    ** sum = 3.5 * 2^20; SRDHM(sum, 2^30) = 1.75 * 2^20; RDBPOT(., 18) = 7.
    ** 100 + 100 = 200 saturates to 127; -100 - 100 to -128. */
    static const int8_t x1[3] = {3, 100, -100};
    static const int8_t x2[3] = {4, 100, -100};
    static const int8_t want[3] = {7, 127, -128};
    ml_add_params p = add_same_scale();
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_add_s8(&p, 3, x1, x2, y), RT_OK);
    assert_memory_equal(y, want, 3);
}

static void add_hand_half_output_scale(void **state)
{
    /* s1 = s2 = 1, so = 2 (the CMSIS case's ratios): mo = 2/(2^20 * 2) =
    ** 2^-20 -> (2^30, -19).  1 + 2 = 3 real = 1.5 output units:
    **   a = 2^19, b = 2^20, sum = 1.5 * 2^20, SRDHM -> 0.75 * 2^20,
    **   RDBPOT(786432, 19) = 1.5 -> 2 (half away from zero);
    ** -1 - 2 -> -1.5 -> -2.  Zero points: in1 zp 5 (offset -5), out zp -3:
    ** x1 = 6 is 1 real, so 6 + 2 -> 2 - 3 = -1. */
    static const int8_t x1[3] = {1, -1, 6};
    static const int8_t x2[3] = {2, -2, 2};
    ml_add_params p = add_same_scale();
    int8_t y[3];
    (void)state;
    p.output_shift = -19;
    assert_int_equal(ml_add_s8(&p, 2, x1, x2, y), RT_OK);
    assert_int_equal(y[0], 2);
    assert_int_equal(y[1], -2);
    p.input1_offset = -5;
    p.output_offset = -3;
    assert_int_equal(ml_add_s8(&p, 1, x1 + 2, x2 + 2, y), RT_OK);
    assert_int_equal(y[0], -1);
    /* fused RELU-like clamp [0, 127] on -2 */
    p = add_same_scale();
    p.output_shift = -19;
    p.activation.min = 0;
    assert_int_equal(ml_add_s8(&p, 2, x1, x2, y), RT_OK);
    assert_int_equal(y[1], 0);
    /* a positive shift is outside TFLM's SmallerThanOneExp contract */
    p.output_shift = 1;
    assert_int_equal(ml_add_s8(&p, 2, x1, x2, y), RT_ERR_ARG);
}

static void mul_hand(void **state)
{
    /* s1*s2/so = 0.5 -> (2^30, 0):
    **   3 * 5 = 15 -> SRDHM(15, 2^30) = 7.5 -> 8
    **   -3 * 5 = -15 -> -7.5 -> -7 (SRDHM ties go toward +inf)
    **   in1 zp 1 (offset -1): x1 = 4 is 3 -> 3 * 5 -> 8
    **   127 * 127 = 16129 -> 8064.5 -> 8065 -> saturates 127 */
    static const int8_t x1[3] = {3, -3, 127};
    static const int8_t x2[3] = {5, 5, 127};
    static const int8_t want[3] = {8, -7, 127};
    static const int8_t x1b[1] = {4};
    ml_mul_params p = {0, 0, 0, 1 << 30, 0, {-128, 127}};
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_mul_s8(&p, 3, x1, x2, y), RT_OK);
    assert_memory_equal(y, want, 3);
    p.input1_offset = -1;
    assert_int_equal(ml_mul_s8(&p, 1, x1b, x2, y), RT_OK);
    assert_int_equal(y[0], 8);
    assert_int_equal(ml_mul_s8(&p, 0, x1b, x2, y), RT_OK); /* empty */
}

static void add_broadcast_hand(void **state)
{
    /* [2,3] + [3]: rows [1,2,3] and [4,5,6] each plus [10,20,30];
    ** [2,3] + [2,1]: each row plus its own scalar (10, 20). */
    static const int8_t a[6] = {1, 2, 3, 4, 5, 6};
    static const int8_t row[3] = {10, 20, 30};
    static const int8_t col[2] = {10, 20};
    static const int8_t want_row[6] = {11, 22, 33, 14, 25, 36};
    static const int8_t want_col[6] = {11, 12, 13, 24, 25, 26};
    static const int32_t d23[2] = {2, 3}, d3[1] = {3}, d21[2] = {2, 1};
    ml_shape s23 = ml_test_shape(2, d23), s3 = ml_test_shape(1, d3);
    ml_shape s21 = ml_test_shape(2, d21);
    ml_add_params p = add_same_scale();
    int8_t y[6];
    (void)state;
    assert_int_equal(ml_add_broadcast_s8(&p, &s23, a, &s3, row, &s23, y), RT_OK);
    assert_memory_equal(y, want_row, 6);
    assert_int_equal(ml_add_broadcast_s8(&p, &s23, a, &s21, col, &s23, y), RT_OK);
    assert_memory_equal(y, want_col, 6);
    /* the scalar on the left: rank 0 */
    {
        ml_shape s0 = ml_test_shape(0, NULL);
        static const int8_t k[1] = {100};
        static const int8_t want_k[6] = {101, 102, 103, 104, 105, 106};
        assert_int_equal(ml_add_broadcast_s8(&p, &s0, k, &s23, a, &s23, y),
                         RT_OK);
        assert_memory_equal(y, want_k, 6);
    }
    /* shapes that do not broadcast: [2,3] with [2] */
    {
        static const int32_t d2[1] = {2};
        ml_shape s2 = ml_test_shape(1, d2);
        assert_int_equal(ml_add_broadcast_s8(&p, &s23, a, &s2, col, &s23, y),
                         RT_ERR_ARG);
    }
}

/* Reference broadcast for a 6-D case: explicit index arithmetic per output
** element, independent of the kernel's odometer and stride tables. */
static void mul_broadcast_6d(void **state)
{
    static const int32_t d1[6] = {2, 1, 3, 1, 1, 2};
    static const int32_t d2[5] = {1, 1, 2, 4, 1};
    static const int32_t dout[6] = {2, 1, 3, 2, 4, 2};
    ml_shape s1 = ml_test_shape(6, d1), s2 = ml_test_shape(5, d2);
    ml_shape so = ml_test_shape(6, dout);
    ml_mul_params p = {0, 0, 0, 1 << 30, 1, {-128, 127}}; /* scale 1 */
    int8_t a[12], b[8], y[96], want[96];
    int i0, i2, i3, i4, i5, n = 0;
    (void)state;
    for (i0 = 0; i0 < 12; i0++)
        a[i0] = (int8_t)(i0 - 6);
    for (i0 = 0; i0 < 8; i0++)
        b[i0] = (int8_t)(i0 - 3);
    for (i0 = 0; i0 < 2; i0++)
        for (i2 = 0; i2 < 3; i2++)
            for (i3 = 0; i3 < 2; i3++)
                for (i4 = 0; i4 < 4; i4++)
                    for (i5 = 0; i5 < 2; i5++) {
                        /* a: [2,1,3,1,1,2] -> index (i0, i2, i5) */
                        int va = a[(i0 * 3 + i2) * 2 + i5];
                        /* b: [1,2,4,1] aligned right -> (i3, i4) */
                        int vb = b[i3 * 4 + i4];
                        want[n++] = (int8_t)(va * vb);
                    }
    assert_int_equal(ml_mul_broadcast_s8(&p, &s1, a, &s2, b, &so, y), RT_OK);
    assert_memory_equal(y, want, 96);
}

static void elementwise_zero_size(void **state)
{
    static const int32_t d0[2] = {0, 3};
    ml_shape s = ml_test_shape(2, d0);
    ml_add_params p = add_same_scale();
    int8_t y[1] = {42};
    (void)state;
    assert_int_equal(ml_add_broadcast_s8(&p, &s, y, &s, y, &s, y), RT_OK);
    assert_int_equal(y[0], 42); /* nothing written */
}

static void add_golden(void **state)
{
    ml_golden *g = ml_golden_load("add");
    const int8_t *x1, *x2, *ref;
    size_t n1, n2, nref;
    ml_add_params p;
    int8_t *y;
    (void)state;
    if (!g)
        skip();
    p.input1_offset = (int32_t)ml_golden_int(g, "ADD_INPUT1_OFFSET");
    p.input2_offset = (int32_t)ml_golden_int(g, "ADD_INPUT2_OFFSET");
    p.output_offset = (int32_t)ml_golden_int(g, "ADD_OUTPUT_OFFSET");
    p.left_shift = (int32_t)ml_golden_int(g, "ADD_LEFT_SHIFT");
    p.input1_multiplier = (int32_t)ml_golden_int(g, "ADD_INPUT1_MULT");
    p.input1_shift = (int32_t)ml_golden_int(g, "ADD_INPUT1_SHIFT");
    p.input2_multiplier = (int32_t)ml_golden_int(g, "ADD_INPUT2_MULT");
    p.input2_shift = (int32_t)ml_golden_int(g, "ADD_INPUT2_SHIFT");
    p.output_multiplier = (int32_t)ml_golden_int(g, "ADD_OUTPUT_MULT");
    p.output_shift = (int32_t)ml_golden_int(g, "ADD_OUTPUT_SHIFT");
    p.activation.min = (int32_t)ml_golden_int(g, "ADD_OUT_ACTIVATION_MIN");
    p.activation.max = (int32_t)ml_golden_int(g, "ADD_OUT_ACTIVATION_MAX");
    x1 = ml_golden_s8(g, "add_input1", &n1);
    x2 = ml_golden_s8(g, "add_input2", &n2);
    ref = ml_golden_s8(g, "add_output_ref", &nref);
    assert_non_null(x1);
    assert_non_null(x2);
    assert_non_null(ref);
    assert_int_equal(n1, (size_t)ml_golden_int(g, "ADD_DST_SIZE"));
    assert_int_equal(n2, n1);
    assert_int_equal(nref, n1);
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_add_s8(&p, (int32_t)n1, x1, x2, y), RT_OK);
    assert_memory_equal(y, ref, nref);
    {   /* the broadcast walk with equal shapes gives the same bytes */
        int32_t d[1];
        ml_shape s;
        d[0] = (int32_t)n1;
        s = ml_test_shape(1, d);
        memset(y, 0, nref);
        assert_int_equal(ml_add_broadcast_s8(&p, &s, x1, &s, x2, &s, y), RT_OK);
        assert_memory_equal(y, ref, nref);
    }
    free(y);
    ml_golden_free(g);
}

static void mul_golden(void **state)
{
    ml_golden *g = ml_golden_load("mul");
    const int8_t *x1, *x2, *ref;
    size_t n1, n2, nref;
    ml_mul_params p;
    int8_t *y;
    (void)state;
    if (!g)
        skip();
    p.input1_offset = (int32_t)ml_golden_int(g, "MUL_INPUT1_OFFSET");
    p.input2_offset = (int32_t)ml_golden_int(g, "MUL_INPUT2_OFFSET");
    p.output_offset = (int32_t)ml_golden_int(g, "MUL_OUTPUT_OFFSET");
    p.output_multiplier = (int32_t)ml_golden_int(g, "MUL_OUTPUT_MULT");
    p.output_shift = (int32_t)ml_golden_int(g, "MUL_OUTPUT_SHIFT");
    p.activation.min = (int32_t)ml_golden_int(g, "MUL_OUT_ACTIVATION_MIN");
    p.activation.max = (int32_t)ml_golden_int(g, "MUL_OUT_ACTIVATION_MAX");
    x1 = ml_golden_s8(g, "mul_input1", &n1);
    x2 = ml_golden_s8(g, "mul_input2", &n2);
    ref = ml_golden_s8(g, "mul_output_ref", &nref);
    assert_non_null(x1);
    assert_non_null(x2);
    assert_non_null(ref);
    assert_int_equal(n1, (size_t)ml_golden_int(g, "MUL_DST_SIZE"));
    assert_int_equal(n2, n1);
    assert_int_equal(nref, n1);
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_mul_s8(&p, (int32_t)n1, x1, x2, y), RT_OK);
    assert_memory_equal(y, ref, nref);
    free(y);
    ml_golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_hand),
        cmocka_unit_test(add_hand_half_output_scale),
        cmocka_unit_test(mul_hand),
        cmocka_unit_test(add_broadcast_hand),
        cmocka_unit_test(mul_broadcast_6d),
        cmocka_unit_test(elementwise_zero_size),
        cmocka_unit_test(add_golden),
        cmocka_unit_test(mul_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
