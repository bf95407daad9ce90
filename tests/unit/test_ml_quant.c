/*
** test_ml_quant.c — the integer primitives of spec §2.2 (ml.h) and the
** gemmlowp fixed-point functions (ml/fixedpoint.h).
**
** Primitive cases are worked by hand from the gemmlowp definitions quoted
** in the spec.  The fixed-point functions are checked against libm to the
** accuracy gemmlowp documents (~1e-6 absolute or better), plus exact
** points (exp(0) = One, logistic(0) = 1/2, tanh(0) = 0).  Bit-exactness
** of these functions is established through SOFTMAX's spec/CMSIS vectors
** (test_ml_softmax.c), which run exp and the reciprocal on every element.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "ml/fixedpoint.h"
#include "ml/ml.h"

static void srdhm_hand(void **state)
{
    (void)state;
    /* 21 * 2^30 / 2^31 = 10.5 -> 11;  -17 * 2^30 / 2^31 = -8.5 -> -8
    ** (nudge 1 - 2^30 then truncation: ties toward +inf) */
    assert_int_equal(ml_srdhm(21, 1 << 30), 11);
    assert_int_equal(ml_srdhm(-17, 1 << 30), -8);
    /* -8.6 -> -9, -8.4 -> -8: ordinary nearest rounding off the tie */
    assert_int_equal(ml_srdhm(-43, 429496730), -9); /* -43 * 0.2 = -8.6 */
    assert_int_equal(ml_srdhm(-42, 429496730), -8); /* -8.4 */
    /* the one saturating case */
    assert_int_equal(ml_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
    /* INT32_MIN * INT32_MAX / 2^31 = -(2^31 - 1) exactly */
    assert_int_equal(ml_srdhm(INT32_MIN, INT32_MAX), -INT32_MAX);
    assert_int_equal(ml_srdhm(0, INT32_MAX), 0);
}

/* gemmlowp's own formulation, for comparison with ml_srdhm's rewrite */
static int32_t srdhm_gemmlowp(int32_t a, int32_t b)
{
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    if (a == INT32_MIN && b == INT32_MIN)
        return INT32_MAX;
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

static void srdhm_matches_gemmlowp_form(void **state)
{
    static const int32_t edge[] = {0, 1, -1, 2, -2, 3, -3, 1 << 30, -(1 << 30),
                                   INT32_MAX, INT32_MIN, INT32_MIN + 1,
                                   (1 << 30) + 1, 46341, -46341, 1 << 15};
    uint32_t s = 99;
    size_t i, j;
    int k;
    (void)state;
    for (i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (j = 0; j < sizeof edge / sizeof edge[0]; j++)
            assert_int_equal(ml_srdhm(edge[i], edge[j]),
                             srdhm_gemmlowp(edge[i], edge[j]));
    for (k = 0; k < 1000000; k++) {
        int32_t a, b;
        s = s * 1664525u + 1013904223u;
        a = (int32_t)s >> (s % 31);
        s = s * 1664525u + 1013904223u;
        b = (int32_t)s >> (s % 7);
        assert_int_equal(ml_srdhm(a, b), srdhm_gemmlowp(a, b));
    }
}

static void rdbpot_hand(void **state)
{
    (void)state;
    /* half away from zero */
    assert_int_equal(ml_rdbpot(5, 1), 3);   /* 2.5 */
    assert_int_equal(ml_rdbpot(-5, 1), -3); /* -2.5 */
    assert_int_equal(ml_rdbpot(6, 2), 2);   /* 1.5 */
    assert_int_equal(ml_rdbpot(-6, 2), -2); /* -1.5 */
    assert_int_equal(ml_rdbpot(-7, 2), -2); /* -1.75 */
    assert_int_equal(ml_rdbpot(-5, 2), -1); /* -1.25 */
    assert_int_equal(ml_rdbpot(7, 0), 7);
    /* exponent 31: INT32_MAX / 2^31 = 0.99999 -> 1; INT32_MIN -> -1 */
    assert_int_equal(ml_rdbpot(INT32_MAX, 31), 1);
    assert_int_equal(ml_rdbpot(INT32_MIN, 31), -1);
    assert_int_equal(ml_rdbpot((1 << 30) - 1, 31), 0);
}

static void mbqm_hand(void **state)
{
    (void)state;
    /* shift 0: SRDHM only; shift < 0: SRDHM then RDBPOT (two roundings) */
    assert_int_equal(ml_mbqm(21, 1 << 30, 0), 11);
    assert_int_equal(ml_mbqm(21, 1 << 30, -2), 3);  /* 11 / 4 = 2.75 -> 3 */
    /* double rounding differs from one rounding here: 5 * 0.5 / 2 = 1.25
    ** exactly -> single rounding 1; double: SRDHM(5, 2^30) = 3 (2.5 up),
    ** RDBPOT(3, 1) = 2 (1.5 away) -> 2 */
    assert_int_equal(ml_mbqm(5, 1 << 30, -1), 2);
    /* shift > 0: x * 2^shift first, then SRDHM */
    assert_int_equal(ml_mbqm(21, 1 << 30, 1), 21);
    assert_int_equal(ml_mbqm(3, 1 << 30, 4), 24);
    /* extremes: shift -31 flushes small values to 0 / +-1 */
    assert_int_equal(ml_mbqm(1000, INT32_MAX, -31), 0);
    assert_int_equal(ml_mbqm(INT32_MAX, INT32_MAX, -31), 1);
    assert_int_equal(ml_mbqm(1, 1 << 30, 30), 1 << 29);
    assert_int_equal(ml_mbqm(12345, 0, 0), 0);
}

static void clamp_to_s8_hand(void **state)
{
    (void)state;
    assert_int_equal(ml_clamp_to_s8(1000, -128, 127), 127);
    assert_int_equal(ml_clamp_to_s8(-1000, -128, 127), -128);
    assert_int_equal(ml_clamp_to_s8(5, 6, 9), 6);
    assert_int_equal(ml_clamp_to_s8(7, 6, 9), 7);
}

static double q(int32_t raw, int integer_bits)
{
    return ldexp((double)raw, integer_bits - 31);
}

static void exp_at_powers_of_two(void **state)
{
    /* exp(-2^k) for k = -2..4: -1/4 goes through the Taylor polynomial
    ** alone (it is off by ~470 units of 2^-31 there, 2.2e-7), the others
    ** through it and the barrel of exp(-2^k) constants.  Within 1e-6. */
    static const double k_pow[7] = {0.25, 0.5, 1, 2, 4, 8, 16};
    int i;
    (void)state;
    for (i = 0; i < 7; i++) {
        int32_t a = -(int32_t)ldexp(k_pow[i], 31 - 5); /* Q5.26 */
        int32_t e = ml_fx_exp_on_negative_values(a, 5);
        double want = exp(-k_pow[i]) * 2147483648.0;
        assert_true(fabs((double)e - want) <= 1e-6 * 2147483648.0);
    }
}

static void exp_accuracy(void **state)
{
    int32_t raw;
    (void)state;
    assert_int_equal(ml_fx_exp_on_negative_values(0, 5), INT32_MAX);
    assert_int_equal(ml_fx_exp_on_negative_values(0, 4), INT32_MAX);
    for (raw = -(31 << 26); raw < 0; raw += 1234567) {
        double want = exp(q(raw, 5));
        assert_true(fabs(q(ml_fx_exp_on_negative_values(raw, 5), 0) - want) <
                    1e-6);
    }
    for (raw = -(15 << 27); raw < 0; raw += 1234567) {
        double want = exp(q(raw, 4));
        assert_true(fabs(q(ml_fx_exp_on_negative_values(raw, 4), 0) - want) <
                    1e-6);
    }
}

static void reciprocal_accuracy(void **state)
{
    int32_t raw, bits;
    (void)state;
    for (raw = 0; raw < INT32_MAX - 9999999; raw += 9999999) {
        double x = q(raw, 0);
        assert_true(fabs(q(ml_fx_one_over_one_plus_x(raw), 0) - 1 / (1 + x)) <
                    1e-6);
        assert_true(fabs(q(ml_fx_one_minus_x_over_one_plus_x(raw), 0) -
                         (1 - x) / (1 + x)) < 1e-6);
    }
    /* GetReciprocal: 3.0 in Q12 -> 1/3 = r * 2^-b */
    raw = ml_fx_get_reciprocal(3 << 19, 12, &bits);
    assert_true(fabs(ldexp(q(raw, 0), -bits) - 1.0 / 3.0) < 1e-6);
    raw = ml_fx_get_reciprocal(1 << 19, 12, &bits); /* 1.0 */
    assert_int_equal(bits, 0);
    assert_true(fabs(q(raw, 0) - 1.0) < 1e-6);
}

static void logistic_tanh_accuracy(void **state)
{
    int32_t raw;
    (void)state;
    assert_int_equal(ml_fx_logistic(0, 4), 1 << 30);
    assert_int_equal(ml_fx_tanh(0, 4), 0);
    for (raw = -(15 << 27); raw < (15 << 27); raw += 7654321) {
        double x = q(raw, 4);
        assert_true(fabs(q(ml_fx_logistic(raw, 4), 0) - 1 / (1 + exp(-x))) <
                    1e-6);
        assert_true(fabs(q(ml_fx_tanh(raw, 4), 0) - tanh(x)) < 1e-6);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(srdhm_hand),
        cmocka_unit_test(srdhm_matches_gemmlowp_form),
        cmocka_unit_test(rdbpot_hand),
        cmocka_unit_test(mbqm_hand),
        cmocka_unit_test(clamp_to_s8_hand),
        cmocka_unit_test(exp_at_powers_of_two),
        cmocka_unit_test(exp_accuracy),
        cmocka_unit_test(reciprocal_accuracy),
        cmocka_unit_test(logistic_tanh_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
