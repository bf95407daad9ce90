/*
** fully_connected.c — FULLY_CONNECTED int8, per-tensor and per-channel
** (spec §2.3; TFLM reference/integer_ops/fully_connected.h).
**
** One dot product per (batch, output channel): int32 accumulation of
** (w + filter_offset) * (x + input_offset), plus bias, then one
** requantization.  With filter_offset 0 (TFLite requires it) this is the
** blocked matrix product of matmul.c; a nonzero filter offset takes the
** plain loop over ml_dot_offset_s8.  Summation order does not matter:
** every partial sum fits in int32 (checked by ml_dot_fits before the
** loops), so integer addition is exact in any order.
*/
#include "ml/ml.h"

#include "ml/dot.h"
#include "ml/matmul.h"
#include "ml/ml_check.h"

/* FC is the matrix product of matmul.h: rows = batches, cols = out_ch. */
static void fc_matmul(const ml_fc_params *p, int32_t batches,
                      int32_t accum_depth, int32_t out_ch,
                      const int8_t *input, const int8_t *filter,
                      const int32_t *bias, const int32_t *mult,
                      const int32_t *shift, bool per_channel, int8_t *output)
{
    ml_matmul m;
    m.x = input;
    m.w = filter;
    m.bias = bias;
    m.multiplier = mult;
    m.shift = shift;
    m.per_channel = per_channel;
    m.rows = batches;
    m.cols = out_ch;
    m.depth = accum_depth;
    m.x_offset = p->input_offset;
    m.output_offset = p->output_offset;
    m.activation = p->activation;
    m.out = output;
    ml_matmul_s8(&m);
}

static bool shapes_ok(const ml_fc_params *p, int32_t batches,
                      int32_t accum_depth, int32_t out_ch)
{
    return batches >= 1 && out_ch >= 1 && accum_depth >= 1 &&
           ml_offset_ok(p->input_offset) &&
           ml_dot_fits(accum_depth, p->input_offset, p->filter_offset);
}

rt_status ml_fully_connected_s8(const ml_fc_params *params,
                                const ml_per_tensor_quant *quant,
                                int32_t batches, int32_t accum_depth,
                                int32_t out_ch, const int8_t *input,
                                const int8_t *filter, const int32_t *bias,
                                int8_t *output)
{
    int32_t b, oc;
    if (!shapes_ok(params, batches, accum_depth, out_ch) ||
        !ml_activation_ok(&params->activation) ||
        !ml_quant_ok(quant->multiplier, quant->shift))
        return RT_ERR_ARG;
    if (params->filter_offset == 0) { /* always so for TFLite models */
        fc_matmul(params, batches, accum_depth, out_ch, input, filter, bias,
                  &quant->multiplier, &quant->shift, false, output);
        return RT_OK;
    }
    for (b = 0; b < batches; b++) {
        const int8_t *x = input + (size_t)b * (size_t)accum_depth;
        const int8_t *w = filter;
        for (oc = 0; oc < out_ch; oc++) {
            int32_t acc = ml_dot_offset_s8(x, params->input_offset, w,
                                           params->filter_offset, accum_depth);
            *output++ = ml_requant_s8(acc, bias, oc, quant->multiplier,
                                      quant->shift, params->output_offset,
                                      &params->activation);
            w += accum_depth;
        }
    }
    return RT_OK;
}

rt_status ml_fully_connected_per_channel_s8(const ml_fc_params *params,
                                            const ml_per_channel_quant *quant,
                                            int32_t batches,
                                            int32_t accum_depth,
                                            int32_t out_ch,
                                            const int8_t *input,
                                            const int8_t *filter,
                                            const int32_t *bias,
                                            int8_t *output)
{
    int32_t oc;
    if (!shapes_ok(params, batches, accum_depth, out_ch) ||
        !ml_activation_ok(&params->activation) || params->filter_offset != 0)
        return RT_ERR_ARG;
    for (oc = 0; oc < out_ch; oc++)
        if (!ml_quant_ok(quant->multiplier[oc], quant->shift[oc]))
            return RT_ERR_ARG;
    fc_matmul(params, batches, accum_depth, out_ch, input, filter, bias,
              quant->multiplier, quant->shift, true, output);
    return RT_OK;
}
