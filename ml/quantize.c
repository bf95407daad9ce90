/*
** quantize.c — QUANTIZE (int8 -> int8 requantize, float32 -> int8) and
** DEQUANTIZE (int8 -> float32) (TFLM micro/kernels/quantize_common.cc,
** dequantize_common.cc; reference Requantize, AffineQuantize, Dequantize).
**
** Requantize is integer only.  The float conversions are the only floating
** point in the ml module; each is a single IEEE-754 float32 operation per
** element (one division, resp. one multiplication) plus exact steps, so
** they give the same bits on every IEEE platform, with or without an FPU,
** and need no libm (roundf is done by hand below).
*/
#include "ml/ml.h"

#include "ml/ml_check.h"

rt_status ml_requantize_s8(const ml_requantize_params *params, int32_t size,
                           const int8_t *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !ml_quant_ok(params->multiplier, params->shift) ||
        params->input_zero_point < -128 || params->input_zero_point > 127 ||
        params->output_zero_point < -128 || params->output_zero_point > 127)
        return RT_ERR_ARG;
    for (i = 0; i < size; i++) {
        int32_t y = ml_wrap_s32(
            (uint32_t)ml_mbqm((int32_t)input[i] - params->input_zero_point,
                              params->multiplier, params->shift) +
            (uint32_t)params->output_zero_point);
        output[i] = ml_clamp_to_s8(y, -128, 127);
    }
    return RT_OK;
}

/* roundf (half away from zero) and conversion to int32, saturating.
** For |x| < 2^23 the fraction x - trunc(x) is exact in float32, so the
** comparison with 0.5 decides the rounding exactly; from 2^23 up every
** float is already an integer.  NaN gives 0. */
static int32_t round_to_s32(float x)
{
    float a, t;
    if (x != x)
        return 0;
    a = x < 0.0f ? -x : x;
    if (a >= 2147483648.0f) /* 2^31: saturate (TFLM's cast is undefined) */
        return x < 0.0f ? INT32_MIN : INT32_MAX;
    if (a < 8388608.0f) { /* 2^23 */
        t = (float)(int32_t)a;
        if (a - t >= 0.5f)
            t += 1.0f;
    } else {
        t = a;
    }
    return x < 0.0f ? -(int32_t)t : (int32_t)t;
}

rt_status ml_quantize_f32_s8(const ml_quantize_params *params, int32_t size,
                             const float *input, int8_t *output)
{
    int32_t i;
    if (size < 0 || !(params->scale > 0.0f) || params->zero_point < -128 ||
        params->zero_point > 127)
        return RT_ERR_ARG;
    for (i = 0; i < size; i++) {
        int64_t y = (int64_t)round_to_s32(input[i] / params->scale) +
                    params->zero_point;
        output[i] = (int8_t)(y < -128 ? -128 : y > 127 ? 127 : y);
    }
    return RT_OK;
}

rt_status ml_dequantize_s8_f32(const ml_quantize_params *params, int32_t size,
                               const int8_t *input, float *output)
{
    int32_t i;
    if (size < 0 || params->zero_point < -128 || params->zero_point > 127)
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = (float)((int32_t)input[i] - params->zero_point) *
                    params->scale;
    return RT_OK;
}
