/*
** fixedpoint.c — gemmlowp fixed-point exp, reciprocal, logistic and tanh on
** raw int32 values, for the SOFTMAX, LOGISTIC and TANH kernels.
**
** Each function restates one gemmlowp (fixedpoint/fixedpoint.h) or TFLM
** (kernels/internal/common.h) routine step by step.  A FixedPoint product
** A*B of Qa and Qb values is SaturatingRoundingDoublingHighMul of the raw
** values and is a Q(a+b) value; Rescale from Qa to Qb is a saturating left
** shift by a-b when a > b and a RoundingDivideByPOT by b-a when a < b.
** Constants are those of gemmlowp (exp(-1/8), 1/3, 48/17, -32/17 and the
** exp(-2^k) barrel), each stated with its real value below.
*/
#include "ml/fixedpoint.h"

#include "ml/ml.h"

int32_t ml_fx_add(int32_t a, int32_t b)
{
    return ml_wrap_s32((uint32_t)a + (uint32_t)b);
}

int32_t ml_fx_sub(int32_t a, int32_t b)
{
    return ml_wrap_s32((uint32_t)a - (uint32_t)b);
}

int32_t ml_fx_sat_shl(int32_t x, int32_t exponent)
{
    /* gemmlowp: threshold = 2^(31-e) - 1; x > threshold -> max,
    ** x < -threshold -> min, else x << e. */
    int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
    if (x > threshold)
        return INT32_MAX;
    if (x < -threshold)
        return INT32_MIN;
    return ml_wrap_s32((uint32_t)x << exponent);
}

/* gemmlowp RoundingHalfSum for int32: (a + b) / 2 rounded half away from 0. */
static int32_t rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + (int64_t)b;
    int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

/* exp(a) for a in [-1/4, 0), Q0 in and out: Taylor series around -1/8
** (gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl). */
static int32_t exp_on_interval(int32_t a)
{
    const int32_t exp_minus_one_eighth = 1895147668; /* exp(-1/8) * 2^31 */
    const int32_t one_third = 715827883;             /* 1/3 * 2^31 */
    int32_t x = ml_fx_add(a, (int32_t)1 << 28);      /* a + 1/8 */
    int32_t x2 = ml_srdhm(x, x);
    int32_t x3 = ml_srdhm(x2, x);
    int32_t x4 = ml_srdhm(x2, x2);
    int32_t x4_over_4 = ml_rdbpot(x4, 2);
    /* (x^4/4 + x^3) / 3 + x^2, halved: x^4/24 + x^3/6 + x^2/2 */
    int32_t poly = ml_rdbpot(ml_fx_add(ml_srdhm(ml_fx_add(x4_over_4, x3),
                                                one_third), x2), 1);
    return ml_fx_add(exp_minus_one_eighth,
                     ml_srdhm(exp_minus_one_eighth, ml_fx_add(x, poly)));
}

/* exp(-2^k) * 2^31 for k = -2 .. 4 (gemmlowp's barrel shifter). */
static const int32_t exp_barrel[7] = {
    1672461947, /* exp(-1/4) */
    1302514674, /* exp(-1/2) */
    790015084,  /* exp(-1)   */
    290630308,  /* exp(-2)   */
    39332535,   /* exp(-4)   */
    720401,     /* exp(-8)   */
    242,        /* exp(-16)  */
};

int32_t ml_fx_exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    int32_t frac_bits = 31 - integer_bits;
    int32_t one_quarter = (int32_t)1 << (frac_bits - 2);
    int32_t mask = one_quarter - 1;
    /* a = q + r with q a multiple of 1/4 and r in [-1/4, 0) */
    int32_t r = ml_fx_sub(a & mask, one_quarter);
    int32_t result = exp_on_interval(ml_fx_sat_shl(r, integer_bits));
    int32_t remainder = ml_fx_sub(r, a); /* -q >= 0, multiple of 1/4 */
    int32_t k;

    /* exp(q) = product of exp(-2^k) over the set bits of -q; bits of -q at
    ** 2^k exist only while k < integer_bits. */
    for (k = -2; k <= 4; k++) {
        if (integer_bits > k) {
            int32_t bit = (int32_t)1 << (frac_bits + k);
            if (remainder & bit)
                result = ml_srdhm(result, exp_barrel[k + 2]);
        }
    }
    /* gemmlowp flushes inputs below -32 to 0 when they are representable */
    if (integer_bits > 5) {
        int32_t clamp = -((int32_t)1 << (36 - integer_bits)); /* -32 */
        if (a < clamp)
            result = 0;
    }
    if (a == 0)
        result = INT32_MAX; /* FixedPoint<int32,0>::One() */
    return result;
}

/* The Newton-Raphson iteration shared by the two x in [0,1) functions:
** returns x ~ 1/half_denominator in Q2. */
static int32_t newton_reciprocal_q2(int32_t half_denominator)
{
    const int32_t c48_17 = 1515870810;     /* 48/17 in Q2 */
    const int32_t cneg32_17 = -1010580540; /* -32/17 in Q2 */
    const int32_t one_q2 = (int32_t)1 << 29;
    int32_t x = ml_fx_add(c48_17, ml_srdhm(half_denominator, cneg32_17));
    int i;
    for (i = 0; i < 3; i++) {
        int32_t hd_x = ml_srdhm(half_denominator, x);             /* Q2 */
        int32_t one_minus = ml_fx_sub(one_q2, hd_x);              /* Q2 */
        /* x * one_minus is Q4; Rescale<2> = saturating << 2 */
        x = ml_fx_add(x, ml_fx_sat_shl(ml_srdhm(x, one_minus), 2));
    }
    return x;
}

int32_t ml_fx_one_over_one_plus_x(int32_t a)
{
    int32_t half_denominator = rounding_half_sum(a, INT32_MAX); /* (1+a)/2 */
    int32_t x = newton_reciprocal_q2(half_denominator);
    /* ExactMulByPot<-1> makes Q1 with the same raw bits; Rescale<0>
    ** shifts left by 1, saturating. */
    return ml_fx_sat_shl(x, 1);
}

int32_t ml_fx_one_minus_x_over_one_plus_x(int32_t a)
{
    int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
    int32_t x = newton_reciprocal_q2(half_denominator);
    /* x - 1 in Q2, Rescale<0>: saturating << 2 */
    return ml_fx_sat_shl(ml_fx_sub(x, (int32_t)1 << 29), 2);
}

int32_t ml_fx_logistic(int32_t a, int32_t integer_bits)
{
    int32_t abs_a, pos;
    if (a == 0)
        return (int32_t)1 << 30; /* one half */
    abs_a = a > 0 ? a : ml_fx_sub(0, a);
    /* logistic(|a|) = 1 / (1 + exp(-|a|)) */
    pos = ml_fx_one_over_one_plus_x(
        ml_fx_exp_on_negative_values(ml_fx_sub(0, abs_a), integer_bits));
    return a > 0 ? pos : ml_fx_sub(INT32_MAX, pos); /* One() - pos */
}

int32_t ml_fx_tanh(int32_t a, int32_t integer_bits)
{
    int32_t n, t;
    if (a == 0)
        return 0;
    n = a < 0 ? a : ml_fx_sub(0, a); /* -|a| */
    /* ExactMulByPot<1>: the same raw bits read with one more integer bit
    ** is 2n; tanh(|a|) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)). */
    t = ml_fx_one_minus_x_over_one_plus_x(
        ml_fx_exp_on_negative_values(n, integer_bits + 1));
    return a < 0 ? ml_fx_sub(0, t) : t;
}

/* Count leading zeros of a 32-bit value; 32 for 0. */
static int32_t clz32(uint32_t x)
{
    int32_t n = 0;
    if (x == 0)
        return 32;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

int32_t ml_fx_get_reciprocal(int32_t x, int32_t x_integer_digits,
                             int32_t *num_bits_over_unit)
{
    int32_t headroom_plus_one = clz32((uint32_t)x);
    uint32_t shifted;
    *num_bits_over_unit = x_integer_digits - headroom_plus_one;
    /* x << clz puts its top bit at bit 31: read as Q1 that is x scaled
    ** into [1, 2); subtracting 2^31 (1.0 in Q1) leaves the fraction, Q0. */
    shifted = headroom_plus_one >= 32 ? 0u : ((uint32_t)x << headroom_plus_one);
    return ml_fx_one_over_one_plus_x(ml_wrap_s32(shifted - 0x80000000u));
}
