/*
** fixedpoint.h — gemmlowp fixed-point functions used by the int8 kernels
** (internal to ml/; not part of the public API in ml.h).
**
** SOFTMAX, LOGISTIC and TANH in TFLM evaluate exp, 1/(1+x) and friends in
** gemmlowp's FixedPoint<int32, IntegerBits> arithmetic (fixedpoint.h).  This
** file restates those algorithms in C on raw int32 values: a "Qk" value has
** k integer bits and 31-k fractional bits.  Results must match gemmlowp bit
** for bit, so every step (which products round, which shifts saturate)
** follows the gemmlowp definition; the comments name the gemmlowp step.
*/
#ifndef ML_FIXEDPOINT_H
#define ML_FIXEDPOINT_H

#include <stdint.h>

/* Wrapping int32 add/sub/neg: gemmlowp's FixedPoint +,- are plain int32
** operations; their operands never overflow in the algorithms below, but
** going through uint32 keeps the code free of undefined behaviour even on
** adversarial parameters. */
int32_t ml_fx_add(int32_t a, int32_t b);
int32_t ml_fx_sub(int32_t a, int32_t b);

/* gemmlowp SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0:
** x * 2^exponent saturated to int32 (exponent in [1, 31]). */
int32_t ml_fx_sat_shl(int32_t x, int32_t exponent);

/* exp(a) for a <= 0, a in Q(integer_bits) (integer_bits in [0, 30]);
** result Q0 (gemmlowp exp_on_negative_values).  exp(0) = INT32_MAX. */
int32_t ml_fx_exp_on_negative_values(int32_t a, int32_t integer_bits);

/* 1/(1+a) for a in [0, 1) Q0; result Q0 (gemmlowp
** one_over_one_plus_x_for_x_in_0_1, Newton-Raphson, 3 steps). */
int32_t ml_fx_one_over_one_plus_x(int32_t a);

/* (1-a)/(1+a) for a in [0, 1) Q0; result Q0. */
int32_t ml_fx_one_minus_x_over_one_plus_x(int32_t a);

/* logistic(a) and tanh(a), a in Q(integer_bits), result Q0 (gemmlowp
** logistic / tanh).  integer_bits in [0, 29]. */
int32_t ml_fx_logistic(int32_t a, int32_t integer_bits);
int32_t ml_fx_tanh(int32_t a, int32_t integer_bits);

/* TFLM GetReciprocal (kernels/internal/common.h): x > 0 in
** Q(x_integer_digits); returns a Q0 mantissa r and sets *num_bits_over_unit
** to b so that 1/x = r * 2^-b (x is first normalised into [1, 2)). */
int32_t ml_fx_get_reciprocal(int32_t x, int32_t x_integer_digits,
                             int32_t *num_bits_over_unit);

#endif /* ML_FIXEDPOINT_H */
