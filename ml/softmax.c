/*
** softmax.c — SOFTMAX int8 -> int8 (spec §2.11; TFLM reference/softmax.h
** with gemmlowp fixed point), output scale 1/256, zero point -128.
**
** Per row: d = x - max(row) (<= 0); for d >= diff_min, d is scaled by
** beta*input_scale into Q5.26 (MultiplyByQuantizedMultiplierGreaterThanOne)
** and exp(d) computed in Q0.31; the exps are summed in Q12.19, the sum's
** reciprocal taken by GetReciprocal, and each output is exp * reciprocal
** shifted down to 8 bits.  Two passes over the row; no division anywhere.
*/
#include "ml/ml.h"

#include "ml/fixedpoint.h"
#include "ml/ml_check.h"

enum {
    SCALED_DIFF_INTEGER_BITS = 5, /* TFLM kScaledDiffIntegerBits */
    ACCUM_INTEGER_BITS = 12       /* TFLM kAccumulationIntegerBits */
};

/* exp(d * beta * input_scale) in Q0 for one diff d in [diff_min, 0]. */
static int32_t scaled_exp(const ml_softmax_params *p, int32_t d)
{
    /* MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(d * 2^shift, m);
    ** the product wraps as TFLM's int32 product would (it cannot overflow
    ** for d >= diff_min, which is how TFLM derives diff_min). */
    int32_t scaled = ml_srdhm(
        ml_wrap_s32((uint32_t)d << p->input_left_shift), p->input_multiplier);
    return ml_fx_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
}

rt_status ml_softmax_s8(const ml_softmax_params *params, int32_t rows,
                        int32_t row_size, const int8_t *input,
                        int8_t *output)
{
    int32_t r, c;
    if (rows < 0 || row_size < 0 || params->input_left_shift < 0 ||
        params->input_left_shift > 31 || params->input_multiplier < 0 ||
        params->diff_min > 0)
        return RT_ERR_ARG;
    for (r = 0; r < rows; r++) {
        const int8_t *x = input + (size_t)r * (size_t)row_size;
        int8_t *y = output + (size_t)r * (size_t)row_size;
        int32_t max = -128, sum = 0, bits_over_unit, recip, exponent;

        for (c = 0; c < row_size; c++)
            if (x[c] > max)
                max = x[c];
        for (c = 0; c < row_size; c++) {
            int32_t d = x[c] - max;
            if (d >= params->diff_min) /* Rescale<12>: Q0 -> Q12 */
                sum = ml_fx_add(sum, ml_rdbpot(scaled_exp(params, d),
                                               ACCUM_INTEGER_BITS));
        }
        recip = ml_fx_get_reciprocal(sum, ACCUM_INTEGER_BITS, &bits_over_unit);
        /* output = exp * (1/sum) in Q0, down to 8 fractional bits */
        exponent = bits_over_unit + 31 - 8;
        for (c = 0; c < row_size; c++) {
            int32_t d = x[c] - max, out;
            if (d < params->diff_min) {
                y[c] = -128;
                continue;
            }
            if (exponent > 31) {
                /* the Q0 product is below 2^31 <= 2^(exponent-1): it rounds
                ** to 0 (TFLM's shift by >= 32 bits is undefined here; this
                ** needs more than 511 equal maxima in a row) */
                out = 0;
            } else {
                out = ml_rdbpot(ml_srdhm(recip, scaled_exp(params, d)),
                                exponent);
            }
            y[c] = ml_clamp_to_s8(out - 128, -128, 127);
        }
    }
    return RT_OK;
}
