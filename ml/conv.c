/*
** conv.c — CONV_2D int8 with per-channel requantization (spec §2.4; TFLM
** reference/integer_ops/conv.h ConvPerChannel), NHWC input, OHWI filter,
** strides, dilation, explicit padding and groups.
**
** For each output pixel the filter taps that fall outside the image are
** skipped, which is what TFLM does (equivalent to padding with the input
** zero point); the in-image range is computed once per pixel (window.h).
** The innermost loop runs over the input channels of one group, contiguous
** in both the input (NHWC) and the filter (OHWI) — a whole filter row when
** there is one group and no horizontal dilation — and serves two output
** channels at once (ml_dot2_offset_s8, SMLAD on DSP targets).  1x1
** convolutions with stride 1 are a matrix product (matmul.c).
*/
#include "ml/ml.h"

#include "ml/dot.h"
#include "ml/matmul.h"
#include "ml/ml_check.h"
#include "ml/window.h"

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
    return taps <= INT32_MAX && ml_dot_fits((int32_t)taps, p->input_offset, 0) &&
           ml_window_fits(out->h, p->stride_h, f->h, p->dilation_h, p->pad_h) &&
           ml_window_fits(out->w, p->stride_w, f->w, p->dilation_w, p->pad_w);
}

/* One output position: the in-image taps and where they start. */
typedef struct conv_pos {
    const int8_t *x;        /* input at the first in-image tap, channel 0 */
    int32_t tap0;           /* index ky*k_w + kx of that tap in the filter */
    int32_t ny, nx;         /* in-image taps (ny == 0 or nx == 0: none) */
} conv_pos;

/* Σ over the in-image taps for filters w0 and w1 (w1 may equal w0 when
** only one is wanted) against input channels [c0, c0 + group_c).  With
** one group and dilation_w 1 a filter row's taps are one contiguous run
** of nx * C_in bytes in both the input and the filter, so each row is a
** single dot product. */
static void conv_taps(const conv_pos *g, const ml_conv_params *p,
                      const ml_dims *in, const ml_dims *f, int32_t c0,
                      const int8_t *w0, const int8_t *w1, int32_t acc[2])
{
    const int32_t gc = f->c, in_c = in->c;
    const size_t x_row = (size_t)p->dilation_h * (size_t)in->w * (size_t)in_c;
    const size_t w_row = (size_t)f->w * (size_t)gc;
    const int8_t *x = g->x + c0;
    int32_t ky, kx, a[2];
    acc[0] = acc[1] = 0;
    w0 += (size_t)g->tap0 * (size_t)gc;
    w1 += (size_t)g->tap0 * (size_t)gc;
    for (ky = 0; ky < g->ny; ky++, x += x_row, w0 += w_row, w1 += w_row) {
        if (gc == in_c && p->dilation_w == 1) {
            ml_dot2_offset_s8(x, p->input_offset, w0, w1, g->nx * gc, a);
            acc[0] += a[0];
            acc[1] += a[1];
            continue;
        }
        for (kx = 0; kx < g->nx; kx++) {
            ml_dot2_offset_s8(x + (size_t)kx * (size_t)p->dilation_w * (size_t)in_c,
                              p->input_offset, w0 + (size_t)kx * (size_t)gc,
                              w1 + (size_t)kx * (size_t)gc, gc, a);
            acc[0] += a[0];
            acc[1] += a[1];
        }
    }
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
            const int32_t iy0 = oy * params->stride_h - params->pad_h;
            const ml_taps ty = ml_taps_in(iy0, params->dilation_h, k_h, in_h);
            for (ox = 0; ox < output_dims->w; ox++) {
                const int32_t ix0 = ox * params->stride_w - params->pad_w;
                const ml_taps tx =
                    ml_taps_in(ix0, params->dilation_w, k_w, in_w);
                conv_pos g;
                g.ny = ty.hi > ty.lo ? ty.hi - ty.lo : 0;
                g.nx = tx.hi > tx.lo ? tx.hi - tx.lo : 0;
                g.x = in_b;
                g.tap0 = 0;
                if (g.ny > 0 && g.nx > 0) {
                    int32_t y = iy0 + ty.lo * params->dilation_h;
                    int32_t x = ix0 + tx.lo * params->dilation_w;
                    g.x = in_b + ((size_t)y * (size_t)in_w + (size_t)x) *
                                     (size_t)in_c;
                    g.tap0 = ty.lo * k_w + tx.lo;
                } else {
                    g.ny = 0;
                }
                for (oc = 0; oc < out_c;) {
                    const int32_t group = oc / filters_per_group;
                    const int8_t *w0 = filter + (size_t)oc * (size_t)k_h *
                                                    (size_t)k_w *
                                                    (size_t)group_c;
                    /* two filters of the same group share the input reads */
                    const bool pair = oc + 1 < out_c &&
                                      (oc + 1) / filters_per_group == group;
                    const int8_t *w1 =
                        pair ? w0 + (size_t)k_h * (size_t)k_w * (size_t)group_c
                             : w0;
                    int32_t acc[2], j, n = pair ? 2 : 1;
                    conv_taps(&g, params, input_dims, filter_dims,
                              group * group_c, w0, w1, acc);
                    for (j = 0; j < n; j++)
                        output[oc + j] = ml_requant_s8(
                            acc[j], bias, oc + j, quant->multiplier[oc + j],
                            quant->shift[oc + j], params->output_offset,
                            &params->activation);
                    oc += n;
                }
                output += out_c;
            }
        }
    }
    return RT_OK;
}
