/*
** test_ml_pad_concat.c — PAD and CONCATENATION int8 (pure data movement:
** the expected outputs are written out by hand).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ml/ml.h"
#include "tests/unit/support/ml_test_util.h"

static void pad_hand_2d(void **state)
{
    /* [2,2] = [[1,2],[3,4]], one row before, one column after, value 9:
    **   9 9 9
    **   1 2 9
    **   3 4 9 */
    static const int32_t din[2] = {2, 2}, dout[2] = {3, 3};
    static const int8_t x[4] = {1, 2, 3, 4};
    static const int8_t want[9] = {9, 9, 9, 1, 2, 9, 3, 4, 9};
    ml_shape si = ml_test_shape(2, din), so = ml_test_shape(2, dout);
    ml_pad_params p;
    int8_t y[9];
    (void)state;
    memset(&p, 0, sizeof p);
    p.pad_value = 9;
    p.before[0] = 1;
    p.after[1] = 1;
    assert_int_equal(ml_pad_s8(&p, &si, x, &so, y), RT_OK);
    assert_memory_equal(y, want, 9);
    /* inconsistent output shape */
    p.after[1] = 2;
    assert_int_equal(ml_pad_s8(&p, &si, x, &so, y), RT_ERR_ARG);
}

static void pad_hand_4d_nhwc(void **state)
{
    /* NHWC [1,1,2,2] pixels (a0,a1) (b0,b1) = (1,2) (3,4), pad W by 1 on
    ** both sides and C by 1 after, value -128:
    **   [P P P] [1 2 P] [3 4 P] [P P P]   (P = -128) */
    static const int32_t din[4] = {1, 1, 2, 2}, dout[4] = {1, 1, 4, 3};
    static const int8_t x[4] = {1, 2, 3, 4};
    static const int8_t want[12] = {-128, -128, -128, 1, 2, -128,
                                    3, 4, -128, -128, -128, -128};
    ml_shape si = ml_test_shape(4, din), so = ml_test_shape(4, dout);
    ml_pad_params p;
    int8_t y[12];
    (void)state;
    memset(&p, 0, sizeof p);
    p.pad_value = -128;
    p.before[2] = 1;
    p.after[2] = 1;
    p.after[3] = 1;
    assert_int_equal(ml_pad_s8(&p, &si, x, &so, y), RT_OK);
    assert_memory_equal(y, want, 12);
}

static void pad_hand_empty_input(void **state)
{
    /* [0] padded by 2 before and 1 after: three pad values */
    static const int32_t din[1] = {0}, dout[1] = {3};
    static const int8_t want[3] = {7, 7, 7};
    ml_shape si = ml_test_shape(1, din), so = ml_test_shape(1, dout);
    ml_pad_params p;
    int8_t y[3] = {0, 0, 0};
    (void)state;
    memset(&p, 0, sizeof p);
    p.pad_value = 7;
    p.before[0] = 2;
    p.after[0] = 1;
    assert_int_equal(ml_pad_s8(&p, &si, NULL, &so, y), RT_OK);
    assert_memory_equal(y, want, 3);
}

static void concat_hand(void **state)
{
    /* [2,1] ++ [2,2] along axis 1: rows [a | c d] and [b | e f] */
    static const int8_t a[2] = {1, 2};
    static const int8_t b[4] = {10, 11, 20, 21};
    static const int8_t want[6] = {1, 10, 11, 2, 20, 21};
    static const int32_t sizes[2] = {1, 2};
    const int8_t *inputs[2] = {a, b};
    ml_concat_params p = {2, 2, 1, sizes};
    int8_t y[6];
    (void)state;
    assert_int_equal(ml_concat_s8(&p, inputs, y), RT_OK);
    assert_memory_equal(y, want, 6);
    /* along axis 0 (outer 1, inner 1 per row element): plain append */
    {
        static const int32_t s0[2] = {2, 4};
        static const int8_t want0[6] = {1, 2, 10, 11, 20, 21};
        ml_concat_params p0 = {2, 1, 1, s0};
        assert_int_equal(ml_concat_s8(&p0, inputs, y), RT_OK);
        assert_memory_equal(y, want0, 6);
    }
    p.num_inputs = 0;
    assert_int_equal(ml_concat_s8(&p, inputs, y), RT_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pad_hand_2d),
        cmocka_unit_test(pad_hand_4d_nhwc),
        cmocka_unit_test(pad_hand_empty_input),
        cmocka_unit_test(concat_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
