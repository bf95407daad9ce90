/*
** pooling.c — AVERAGE_POOL_2D and MAX_POOL_2D int8 (spec §2.9; TFLM
** reference/integer_ops/pooling.h), NHWC.
**
** Input and output share quantization, so there is no requantization: the
** average is of the raw int8 values, rounded half away from zero by the
** same C-division expression TFLM uses, over the taps of the window that lie
** inside the image (padding taps are not counted).  One division per output
** element, none in the tap loop.
*/
#include "ml/ml.h"

#include "ml/ml_check.h"
#include "ml/window.h"

static bool pool_args_ok(const ml_pool_params *p, const ml_dims *in,
                         const ml_dims *out)
{
    return ml_dims_ok(in) && ml_dims_ok(out) &&
           ml_activation_ok(&p->activation) && p->stride_h >= 1 &&
           p->stride_w >= 1 && p->filter_h >= 1 && p->filter_w >= 1 &&
           p->pad_h >= 0 && p->pad_w >= 0 && in->n == out->n &&
           in->c == out->c &&
           ml_window_fits(out->h, p->stride_h, p->filter_h, 1, p->pad_h) &&
           ml_window_fits(out->w, p->stride_w, p->filter_w, 1, p->pad_w);
}

/* The window of one output position clipped to the image, as a pointer
** to its first in-image tap (channel 0) and its extent. */
typedef struct window {
    const int8_t *x;
    int32_t ny, nx;
} window;

static window clip_window(const ml_pool_params *p, const ml_dims *in,
                          const int8_t *in_b, int32_t oy, int32_t ox)
{
    window w;
    const int32_t y0 = oy * p->stride_h - p->pad_h;
    const int32_t x0 = ox * p->stride_w - p->pad_w;
    const ml_taps ty = ml_taps_in(y0, 1, p->filter_h, in->h);
    const ml_taps tx = ml_taps_in(x0, 1, p->filter_w, in->w);
    w.ny = ty.hi > ty.lo ? ty.hi - ty.lo : 0;
    w.nx = tx.hi > tx.lo ? tx.hi - tx.lo : 0;
    w.x = in_b;
    if (w.ny > 0 && w.nx > 0)
        w.x = in_b + ((size_t)(y0 + ty.lo) * (size_t)in->w +
                      (size_t)(x0 + tx.lo)) * (size_t)in->c;
    else
        w.ny = w.nx = 0;
    return w;
}

rt_status ml_avg_pool_s8(const ml_pool_params *params,
                         const ml_dims *input_dims, const int8_t *input,
                         const ml_dims *output_dims, int8_t *output)
{
    const int32_t c_n = input_dims->c;
    const size_t row = (size_t)input_dims->w * (size_t)c_n;
    const int32_t lo = params->activation.min, hi = params->activation.max;
    int32_t b, oy, ox, c;
    rt_status status = RT_OK;

    if (!pool_args_ok(params, input_dims, output_dims) ||
        (int64_t)params->filter_h * params->filter_w > (INT32_MAX / 128))
        return RT_ERR_ARG;
    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)input_dims->h * row;
        for (oy = 0; oy < output_dims->h; oy++) {
            for (ox = 0; ox < output_dims->w; ox++) {
                const window win = clip_window(params, input_dims, in_b, oy, ox);
                const int32_t count = win.ny * win.nx;
                if (count == 0) {
                    /* TFLM fails the op here; write zeros so the output is
                    ** fully defined, and report it */
                    for (c = 0; c < c_n; c++)
                        *output++ = 0;
                    status = RT_ERR_ARG;
                    continue;
                }
                for (c = 0; c < c_n; c++) {
                    const int8_t *xr = win.x + c;
                    int32_t acc = 0, y, x;
                    for (y = 0; y < win.ny; y++, xr += row) {
                        const int8_t *xp = xr;
                        for (x = 0; x < win.nx; x++, xp += c_n)
                            acc += *xp;
                    }
                    acc = acc > 0 ? (acc + count / 2) / count
                                  : (acc - count / 2) / count;
                    *output++ = ml_clamp_to_s8(acc, lo, hi);
                }
            }
        }
    }
    return status;
}

rt_status ml_max_pool_s8(const ml_pool_params *params,
                         const ml_dims *input_dims, const int8_t *input,
                         const ml_dims *output_dims, int8_t *output)
{
    const int32_t c_n = input_dims->c;
    const size_t row = (size_t)input_dims->w * (size_t)c_n;
    const int32_t lo = params->activation.min, hi = params->activation.max;
    int32_t b, oy, ox, c;

    if (!pool_args_ok(params, input_dims, output_dims))
        return RT_ERR_ARG;
    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)input_dims->h * row;
        for (oy = 0; oy < output_dims->h; oy++) {
            for (ox = 0; ox < output_dims->w; ox++) {
                const window win = clip_window(params, input_dims, in_b, oy, ox);
                for (c = 0; c < c_n; c++) {
                    const int8_t *xr = win.x + c;
                    int32_t max = -128, y, x;
                    for (y = 0; y < win.ny; y++, xr += row) {
                        const int8_t *xp = xr;
                        for (x = 0; x < win.nx; x++, xp += c_n)
                            if (*xp > max)
                                max = *xp;
                    }
                    *output++ = ml_clamp_to_s8(max, lo, hi);
                }
            }
        }
    }
    return RT_OK;
}
