/*
** conv.c — CONV_2D int8 with per-channel requantization (spec §2.4; TFLM
** reference/integer_ops/conv.h ConvPerChannel), NHWC input, OHWI filter,
** strides, dilation, explicit padding and groups.
**
** For each output pixel the filter taps that fall outside the image are
** skipped, which is what TFLM does (equivalent to padding with the input
** zero point).  The innermost loop runs over the input channels of one
** group, contiguous in both the input (NHWC) and the filter (OHWI), so it
** is the same dot product as FULLY_CONNECTED's (ml_dot_offset_s8).
*/
#include "ml/ml.h"

#include "ml/dot.h"
#include "ml/matmul.h"
#include "ml/ml_check.h"

/* A 1x1 convolution with stride 1, no padding and one group is a matrix
** product: every pixel is a row of C_in values, every filter a column.
** (MobileNet's pointwise layers, most of its MACs, are this case.) */
static bool is_pointwise(const ml_conv_params *p, const ml_dims *in,
                         const ml_dims *f, const ml_dims *out)
{
    return f->h == 1 && f->w == 1 && f->c == in->c && p->stride_h == 1 &&
           p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0 &&
           out->h == in->h && out->w == in->w;
}

static bool conv_args_ok(const ml_conv_params *p, const ml_dims *in,
                         const ml_dims *f, const ml_dims *out)
{
    int32_t groups;
    int64_t taps = (int64_t)f->h * f->w * f->c;
    if (!ml_dims_ok(in) || !ml_dims_ok(f) || !ml_dims_ok(out) ||
        !ml_activation_ok(&p->activation) || !ml_offset_ok(p->input_offset) ||
        p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 ||
        p->dilation_w < 1 || p->pad_h < 0 || p->pad_w < 0)
        return false;
    if (in->c % f->c != 0 || out->n != in->n || out->c != f->n)
        return false;
    groups = in->c / f->c;
    if (f->n % groups != 0)
        return false;
    return taps <= INT32_MAX && ml_dot_fits((int32_t)taps, p->input_offset, 0);
}

rt_status ml_conv_s8(const ml_conv_params *params,
                     const ml_per_channel_quant *quant,
                     const ml_dims *input_dims, const int8_t *input,
                     const ml_dims *filter_dims, const int8_t *filter,
                     const int32_t *bias,
                     const ml_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t k_h = filter_dims->h, k_w = filter_dims->w;
    const int32_t group_c = filter_dims->c; /* input channels per group */
    const int32_t out_c = output_dims->c;
    int32_t filters_per_group, b, oy, ox, oc;

    if (!conv_args_ok(params, input_dims, filter_dims, output_dims))
        return RT_ERR_ARG;
    for (oc = 0; oc < out_c; oc++)
        if (!ml_quant_ok(quant->multiplier[oc], quant->shift[oc]))
            return RT_ERR_ARG;
    if (is_pointwise(params, input_dims, filter_dims, output_dims)) {
        ml_matmul m;
        m.x = input;
        m.w = filter;
        m.bias = bias;
        m.multiplier = quant->multiplier;
        m.shift = quant->shift;
        m.per_channel = true;
        m.rows = input_dims->n * in_h * in_w; /* <= INT32_MAX: ml_dims_ok */
        m.cols = out_c;
        m.depth = in_c;
        m.x_offset = params->input_offset;
        m.output_offset = params->output_offset;
        m.activation = params->activation;
        m.out = output;
        ml_matmul_s8(&m);
        return RT_OK;
    }
    filters_per_group = out_c / (in_c / group_c);

    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)in_h * (size_t)in_w *
                                         (size_t)in_c;
        for (oy = 0; oy < output_dims->h; oy++) {
            /* int64: a huge output size must not wrap the origin */
            const int64_t iy0 = (int64_t)oy * params->stride_h - params->pad_h;
            for (ox = 0; ox < output_dims->w; ox++) {
                const int64_t ix0 =
                    (int64_t)ox * params->stride_w - params->pad_w;
                for (oc = 0; oc < out_c; oc++) {
                    const int32_t group = oc / filters_per_group;
                    const int8_t *w_oc = filter + (size_t)oc * (size_t)k_h *
                                                      (size_t)k_w *
                                                      (size_t)group_c;
                    int32_t acc = 0, ky, kx;
                    for (ky = 0; ky < k_h; ky++) {
                        const int64_t iy =
                            iy0 + (int64_t)params->dilation_h * ky;
                        if (iy < 0 || iy >= in_h)
                            continue;
                        for (kx = 0; kx < k_w; kx++) {
                            const int64_t ix =
                                ix0 + (int64_t)params->dilation_w * kx;
                            const int8_t *x, *w;
                            if (ix < 0 || ix >= in_w)
                                continue;
                            x = in_b + ((size_t)iy * (size_t)in_w +
                                        (size_t)ix) * (size_t)in_c +
                                (size_t)group * (size_t)group_c;
                            w = w_oc + ((size_t)ky * (size_t)k_w +
                                        (size_t)kx) * (size_t)group_c;
                            acc += ml_dot_offset_s8(x, params->input_offset,
                                                    w, 0, group_c);
                        }
                    }
                    *output++ = ml_requant_s8(acc, bias, oc,
                                              quant->multiplier[oc],
                                              quant->shift[oc],
                                              params->output_offset,
                                              &params->activation);
                }
            }
        }
    }
    return RT_OK;
}
