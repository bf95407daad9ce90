/*
** depthwise_conv.c — DEPTHWISE_CONV_2D int8 with per-channel
** requantization (spec §2.5; TFLM reference/integer_ops/depthwise_conv.h
** DepthwiseConvPerChannel): NHWC input, 1HWC filter with C = C_in * M,
** depth multiplier M, strides, dilation, explicit padding.
**
** Output channel oc = ic*M + m sees input channel ic only, so there is no
** contiguous dot product: the tap loop walks the input with stride C_in and
** the filter with stride C_in*M.  Taps outside the image are skipped.
*/
#include "ml/ml.h"

#include "ml/dot.h"
#include "ml/ml_check.h"

static bool dw_args_ok(const ml_dw_conv_params *p, const ml_dims *in,
                       const ml_dims *f, const ml_dims *out)
{
    int64_t taps = (int64_t)f->h * f->w;
    if (!ml_dims_ok(in) || !ml_dims_ok(f) || !ml_dims_ok(out) ||
        !ml_activation_ok(&p->activation) || !ml_offset_ok(p->input_offset) ||
        p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 ||
        p->dilation_w < 1 || p->pad_h < 0 || p->pad_w < 0 ||
        p->depth_multiplier < 1)
        return false;
    if (f->n != 1 || (int64_t)in->c * p->depth_multiplier != f->c ||
        out->c != f->c || out->n != in->n)
        return false;
    return taps <= INT32_MAX && ml_dot_fits((int32_t)taps, p->input_offset, 0);
}

rt_status ml_depthwise_conv_s8(const ml_dw_conv_params *params,
                               const ml_per_channel_quant *quant,
                               const ml_dims *input_dims, const int8_t *input,
                               const ml_dims *filter_dims,
                               const int8_t *filter, const int32_t *bias,
                               const ml_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
    const int32_t mult = params->depth_multiplier;
    const int32_t out_c = output_dims->c;
    int32_t b, oy, ox, ic, m, oc;

    if (!dw_args_ok(params, input_dims, filter_dims, output_dims))
        return RT_ERR_ARG;
    for (oc = 0; oc < out_c; oc++)
        if (!ml_quant_ok(quant->multiplier[oc], quant->shift[oc]))
            return RT_ERR_ARG;

    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)in_h * (size_t)in_w *
                                         (size_t)in_c;
        for (oy = 0; oy < output_dims->h; oy++) {
            const int64_t iy0 = (int64_t)oy * params->stride_h - params->pad_h;
            for (ox = 0; ox < output_dims->w; ox++) {
                const int64_t ix0 =
                    (int64_t)ox * params->stride_w - params->pad_w;
                for (ic = 0; ic < in_c; ic++) {
                    for (m = 0; m < mult; m++) {
                        int32_t acc = 0, ky, kx;
                        oc = ic * mult + m;
                        for (ky = 0; ky < k_h; ky++) {
                            const int64_t iy =
                                iy0 + (int64_t)params->dilation_h * ky;
                            if (iy < 0 || iy >= in_h)
                                continue;
                            for (kx = 0; kx < k_w; kx++) {
                                const int64_t ix =
                                    ix0 + (int64_t)params->dilation_w * kx;
                                int32_t x, w;
                                if (ix < 0 || ix >= in_w)
                                    continue;
                                x = in_b[((size_t)iy * (size_t)in_w +
                                          (size_t)ix) * (size_t)in_c +
                                         (size_t)ic];
                                w = filter[((size_t)ky * (size_t)k_w +
                                            (size_t)kx) * (size_t)out_c +
                                           (size_t)oc];
                                acc += w * (x + params->input_offset);
                            }
                        }
                        *output++ = ml_requant_s8(
                            acc, bias, oc, quant->multiplier[oc],
                            quant->shift[oc], params->output_offset,
                            &params->activation);
                    }
                }
            }
        }
    }
    return RT_OK;
}
