/*
** depthwise_conv.c — DEPTHWISE_CONV_2D int8 with per-channel
** requantization (spec §2.5; TFLM reference/integer_ops/depthwise_conv.h
** DepthwiseConvPerChannel): NHWC input, 1HWC filter with C = C_in * M,
** depth multiplier M, strides, dilation, explicit padding.
**
** Output channel oc = ic*M + m sees input channel ic only, so there is no
** long contiguous dot product.  Instead the kernel works on four adjacent
** output channels at once, whose inputs and filter values are adjacent
** bytes in NHWC / 1HWC: four accumulators, one pass over the in-image taps
** (computed once per output position, window.h), then four
** requantizations.  With M == 1 the four channels read four input
** channels; with M a multiple of 4 they share one input value.  Other
** cases, and the last C % 4 channels, take the one-channel loop.  On DSP
** targets the four channels are one word (SXTB16, SMLABB/SMLATT), and with
** M == 1 two neighbouring output positions whose windows are clipped alike
** share every filter load (dot_dsp.h).  The sums are the reference sums
** (integer, no overflow: ml_dot_fits), in another order.
*/
#include "ml/ml.h"

#include "ml/dot.h"
#include "ml/ml_check.h"
#include "ml/window.h"

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
    /* the per-tap pointer steps (dw_pos) are int32: bound them here so a
    ** hostile dilation cannot overflow them (the geometry checks below only
    ** bound coordinates, not coordinate x row size) */
    if ((int64_t)p->dilation_h * in->w * in->c > INT32_MAX ||
        (int64_t)p->dilation_w * in->c > INT32_MAX ||
        (int64_t)f->w * f->c > INT32_MAX)
        return false;
    return taps <= INT32_MAX && ml_dot_fits((int32_t)taps, p->input_offset, 0) &&
           ml_window_fits(out->h, p->stride_h, f->h, p->dilation_h, p->pad_h) &&
           ml_window_fits(out->w, p->stride_w, f->w, p->dilation_w, p->pad_w);
}

/* Geometry of one output position, shared by the channel loops: the
** in-image taps only, as pointers to the first of them. */
typedef struct dw_pos {
    const int8_t *in;       /* input at the first in-image tap, channel 0 */
    const int8_t *w;        /* filter at that tap, channel 0 */
    int32_t ny, nx;         /* in-image taps per column / row (may be 0) */
    int32_t row_step;       /* input elements per filter row */
    int32_t col_step;       /* input elements per filter column */
    int32_t w_row_step;     /* filter elements per filter row: k_w * C_out */
    int32_t out_c;          /* filter elements per filter column */
} dw_pos;

#if ML_HAVE_DSP
#include "ml/dot_dsp.h"
#endif

/* Four output channels oc..oc+3 reading input channels ic..ic+3 (M == 1,
** x_step 1) or all input channel ic (M % 4 == 0, x_step 0). */
static void dw_block4(const dw_pos *g, int32_t ic, int32_t x_step,
                      int32_t oc, int32_t off, int32_t acc[4])
{
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, ky, kx;
    const int8_t *xr = g->in + ic, *wr = g->w + oc;
#if ML_HAVE_DSP
    if (x_step == 1)
        ml_dsp_dw4(xr, wr, g->ny, g->nx, g->row_step, g->col_step,
                   g->w_row_step, g->out_c, off, acc);
    else
        ml_dsp_dw4_shared(xr, wr, g->ny, g->nx, g->row_step, g->col_step,
                          g->w_row_step, g->out_c, off, acc);
    return;
#endif
    for (ky = 0; ky < g->ny; ky++, xr += g->row_step, wr += g->w_row_step) {
        const int8_t *x = xr, *w = wr;
        for (kx = 0; kx < g->nx; kx++, x += g->col_step, w += g->out_c) {
            a0 += ((int32_t)x[0] + off) * w[0];
            a1 += ((int32_t)x[x_step] + off) * w[1];
            a2 += ((int32_t)x[2 * x_step] + off) * w[2];
            a3 += ((int32_t)x[3 * x_step] + off) * w[3];
        }
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}


static int32_t dw_one(const dw_pos *g, int32_t ic, int32_t oc, int32_t off)
{
    int32_t a = 0, ky, kx;
    const int8_t *xr = g->in + ic, *wr = g->w + oc;
    for (ky = 0; ky < g->ny; ky++, xr += g->row_step, wr += g->w_row_step) {
        const int8_t *x = xr, *w = wr;
        for (kx = 0; kx < g->nx; kx++, x += g->col_step, w += g->out_c)
            a += ((int32_t)*x + off) * *w;
    }
    return a;
}

#if ML_HAVE_DSP
/* Output positions (oy, ox) and (oy, ox + 1) of a M == 1 depthwise
** convolution whose in-image taps coincide: 4 channels x 2 positions per
** pass, then the 8 requantizations; the last C % 4 channels one by one. */
static void dw_pair(const ml_dw_conv_params *p, dw_pos *g,
                    const int8_t *in_b, const int8_t *filter,
                    const ml_dims *fd, int32_t in_w, int32_t iy0, int32_t ix0,
                    ml_taps ty, ml_taps tx, const int32_t *bias,
                    const int32_t *mults, const int32_t *shifts, int8_t *out)
{
    const int32_t c_n = g->out_c, x2 = p->stride_w * c_n;
    const int32_t off = p->input_offset, oo = p->output_offset;
    const int32_t lo = p->activation.min, hi = p->activation.max;
    int32_t c, j;
    g->ny = ty.hi - ty.lo;
    g->nx = tx.hi - tx.lo;
    g->in = in_b + ((size_t)(iy0 + ty.lo * p->dilation_h) * (size_t)in_w +
                    (size_t)(ix0 + tx.lo * p->dilation_w)) * (size_t)c_n;
    g->w = filter + ((size_t)ty.lo * (size_t)fd->w + (size_t)tx.lo) *
                        (size_t)c_n;
    for (c = 0; c + 4 <= c_n; c += 4) {
        int32_t acc[8];
        ml_dsp_dw4x2(g->in + c, x2, g->w + c, g->ny, g->nx, g->row_step,
                     g->col_step, g->w_row_step, c_n, off, acc);
        for (j = 0; j < 8; j++) {
            int32_t ch = c + (j & 3);
            uint32_t a = (uint32_t)acc[j];
            if (bias != NULL)
                a += (uint32_t)bias[ch];
            out[(j >> 2) * c_n + ch] =
                ml_requant_acc_s8(a, mults[ch], shifts[ch], oo, lo, hi);
        }
    }
    for (; c < c_n; c++) {
        for (j = 0; j < 2; j++) {
            uint32_t a = (uint32_t)dw_one(g, c, c, off);
            if (bias != NULL)
                a += (uint32_t)bias[c];
            out[j * c_n + c] =
                ml_requant_acc_s8(a, mults[c], shifts[c], oo, lo, hi);
            g->in += x2; /* the second position */
        }
        g->in -= 2 * x2;
    }
}
#endif

rt_status ml_depthwise_conv_s8(const ml_dw_conv_params *params,
                               const ml_per_channel_quant *quant,
                               const ml_dims *input_dims, const int8_t *input,
                               const ml_dims *filter_dims,
                               const int8_t *filter, const int32_t *bias,
                               const ml_dims *output_dims, int8_t *output)
{
    const int32_t in_h = input_dims->h, in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t mult = params->depth_multiplier;
    const int32_t out_c = output_dims->c;
    const int32_t off = params->input_offset;
    /* four channels per block: M == 1 reads 4 input channels, M % 4 == 0
    ** one input channel for 4 filters; otherwise one channel at a time */
    const int32_t x_step = mult == 1 ? 1 : 0;
    const bool blocks = mult == 1 || mult % 4 == 0;
    const int32_t *const mults = quant->multiplier;
    const int32_t *const shifts = quant->shift;
    const int32_t out_off = params->output_offset;
    const int32_t act_min = params->activation.min;
    const int32_t act_max = params->activation.max;
    dw_pos g;
    int32_t b, oy, ox, oc;

    if (!dw_args_ok(params, input_dims, filter_dims, output_dims))
        return RT_ERR_ARG;
    for (oc = 0; oc < out_c; oc++)
        if (!ml_quant_ok(quant->multiplier[oc], quant->shift[oc]))
            return RT_ERR_ARG;
    g.out_c = out_c;
    g.row_step = params->dilation_h * in_w * in_c;
    g.col_step = params->dilation_w * in_c;
    g.w_row_step = filter_dims->w * out_c;

    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)in_h * (size_t)in_w *
                                         (size_t)in_c;
        for (oy = 0; oy < output_dims->h; oy++) {
            const int32_t iy0 = oy * params->stride_h - params->pad_h;
            const ml_taps ty =
                ml_taps_in(iy0, params->dilation_h, filter_dims->h, in_h);
            for (ox = 0; ox < output_dims->w; ox++) {
                const int32_t ix0 = ox * params->stride_w - params->pad_w;
                const ml_taps tx =
                    ml_taps_in(ix0, params->dilation_w, filter_dims->w, in_w);
#if ML_HAVE_DSP
                /* M == 1: two neighbouring output positions whose windows
                ** are clipped alike share every filter load (dot_dsp.h) */
                if (mult == 1 && ox + 1 < output_dims->w && ty.hi > ty.lo) {
                    const ml_taps tx2 = ml_taps_in(ix0 + params->stride_w,
                                                   params->dilation_w,
                                                   filter_dims->w, in_w);
                    if (tx.hi > tx.lo && tx2.lo == tx.lo && tx2.hi == tx.hi) {
                        dw_pair(params, &g, in_b, filter, filter_dims, in_w,
                                iy0, ix0, ty, tx, bias, mults, shifts, output);
                        output += 2 * out_c;
                        ox++;
                        continue;
                    }
                }
#endif
                g.ny = ty.hi > ty.lo ? ty.hi - ty.lo : 0;
                g.nx = tx.hi > tx.lo ? tx.hi - tx.lo : 0;
                g.in = in_b;
                g.w = filter;
                if (g.ny > 0 && g.nx > 0) { /* point at the first tap */
                    int32_t y = iy0 + ty.lo * params->dilation_h;
                    int32_t x = ix0 + tx.lo * params->dilation_w;
                    g.in = in_b + ((size_t)y * (size_t)in_w + (size_t)x) *
                                      (size_t)in_c;
                    g.w = filter + ((size_t)ty.lo * (size_t)filter_dims->w +
                                    (size_t)tx.lo) * (size_t)out_c;
                }
                oc = 0;
                if (blocks) {
                    int32_t ic = 0, m = 0; /* oc = ic * mult + m */
                    for (; oc + 4 <= out_c; oc += 4) {
                        int32_t acc[4], j;
                        dw_block4(&g, ic, x_step, oc, off, acc);
                        for (j = 0; j < 4; j++) {
                            uint32_t a = (uint32_t)acc[j];
                            if (bias != NULL)
                                a += (uint32_t)bias[oc + j];
                            output[oc + j] = ml_requant_acc_s8(
                                a, mults[oc + j], shifts[oc + j], out_off,
                                act_min, act_max);
                        }
                        if (mult == 1) {
                            ic += 4;
                        } else if ((m += 4) == mult) {
                            ic++;
                            m = 0;
                        }
                    }
                }
                for (; oc < out_c; oc++) {
                    uint32_t a = (uint32_t)dw_one(&g, oc / mult, oc, off);
                    if (bias != NULL)
                        a += (uint32_t)bias[oc];
                    output[oc] = ml_requant_acc_s8(a, mults[oc], shifts[oc],
                                                   out_off, act_min, act_max);
                }
                output += out_c;
            }
        }
    }
    return RT_OK;
}
