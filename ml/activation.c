/*
** activation.c — LOGISTIC, TANH, RELU, RELU6/clamp and table lookup, int8
** (spec §2.12, §2.13; TFLM reference/integer_ops/logistic.h, tanh.h and
** micro/kernels/activations_common.cc).
**
** LOGISTIC and TANH saturate outside the input radius and otherwise
** evaluate gemmlowp's fixed-point logistic/tanh (ml/fixedpoint.c) on the
** input rescaled into Q4.27.  Because an int8 -> int8 function has only 256
** inputs, the *_lut_fill_s8 functions tabulate the exact kernel once and
** ml_lut_s8 applies the table: same bits, one load per element.
*/
#include "ml/ml.h"

#include "ml/fixedpoint.h"
#include "ml/ml_check.h"

enum { INPUT_INTEGER_BITS = 4 }; /* TFLM kInputIntegerBits for both ops */

static bool sigmoid_params_ok(const ml_logistic_params *p)
{
    return p->input_range_radius >= 0 && p->input_multiplier >= 0 &&
           p->input_left_shift >= -31 && p->input_left_shift <= 30 &&
           p->input_zero_point >= -128 && p->input_zero_point <= 127;
}

static int8_t logistic_one(const ml_logistic_params *p, int32_t x)
{
    int32_t v = x - p->input_zero_point, q0, y;
    if (v <= -p->input_range_radius)
        return -128;
    if (v >= p->input_range_radius)
        return 127;
    q0 = ml_fx_logistic(ml_mbqm(v, p->input_multiplier, p->input_left_shift),
                        INPUT_INTEGER_BITS);
    /* Q0.31 -> 8 fractional bits, then the fixed output zero point -128 */
    y = ml_rdbpot(q0, 31 - 8) - 128;
    return ml_clamp_to_s8(y, -128, 127);
}

static int8_t tanh_one(const ml_tanh_params *p, int32_t x)
{
    int32_t v = x - p->input_zero_point, q0;
    if (v <= -p->input_range_radius)
        return -128;
    if (v >= p->input_range_radius)
        return 127;
    q0 = ml_fx_tanh(ml_mbqm(v, p->input_multiplier, p->input_left_shift),
                    INPUT_INTEGER_BITS);
    /* Q0.31 -> 7 fractional bits (output scale 1/128), zero point 0 */
    return ml_clamp_to_s8(ml_rdbpot(q0, 31 - 7), -128, 127);
}

rt_status ml_logistic_s8(const ml_logistic_params *params, int32_t size,
                         const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !sigmoid_params_ok(params))
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = logistic_one(params, input[i]);
    return RT_OK;
}

rt_status ml_tanh_s8(const ml_tanh_params *params, int32_t size,
                     const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !sigmoid_params_ok(params))
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = tanh_one(params, input[i]);
    return RT_OK;
}

rt_status ml_logistic_lut_fill_s8(const ml_logistic_params *params,
                                  int8_t lut[ML_LUT_SIZE])
{
    int32_t x;
    if (!sigmoid_params_ok(params))
        return RT_ERR_ARG;
    for (x = -128; x <= 127; x++)
        lut[x + 128] = logistic_one(params, x);
    return RT_OK;
}

rt_status ml_tanh_lut_fill_s8(const ml_tanh_params *params,
                              int8_t lut[ML_LUT_SIZE])
{
    int32_t x;
    if (!sigmoid_params_ok(params))
        return RT_ERR_ARG;
    for (x = -128; x <= 127; x++)
        lut[x + 128] = tanh_one(params, x);
    return RT_OK;
}

rt_status ml_lut_s8(const int8_t lut[ML_LUT_SIZE], int32_t size,
                    const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0)
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = lut[(int32_t)input[i] + 128];
    return RT_OK;
}

rt_status ml_relu_s8(const ml_relu_params *params, int32_t size,
                     const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !ml_activation_ok(&params->activation) ||
        !ml_quant_ok(params->multiplier, params->shift) ||
        params->input_zero_point < -128 || params->input_zero_point > 127 ||
        params->output_zero_point < -128 || params->output_zero_point > 127)
        return RT_ERR_ARG;
    for (i = 0; i < size; i++) {
        int32_t y = ml_wrap_s32(
            (uint32_t)params->output_zero_point +
            (uint32_t)ml_mbqm((int32_t)input[i] - params->input_zero_point,
                              params->multiplier, params->shift));
        output[i] = ml_clamp_to_s8(y, params->activation.min,
                                   params->activation.max);
    }
    return RT_OK;
}

rt_status ml_clamp_s8(const ml_activation *act, int32_t size,
                      const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !ml_activation_ok(act))
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = ml_clamp_to_s8(input[i], act->min, act->max);
    return RT_OK;
}
