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

static bool pool_args_ok(const ml_pool_params *p, const ml_dims *in,
                         const ml_dims *out)
{
    return ml_dims_ok(in) && ml_dims_ok(out) &&
           ml_activation_ok(&p->activation) && p->stride_h >= 1 &&
           p->stride_w >= 1 && p->filter_h >= 1 && p->filter_w >= 1 &&
           p->pad_h >= 0 && p->pad_w >= 0 && in->n == out->n &&
           in->c == out->c;
}

/* The window of one output position clipped to the image: taps
** [y0, y1) x [x0, x1) in input coordinates (possibly empty). */
typedef struct window {
    int64_t y0, y1, x0, x1;
} window;

static window clip_window(const ml_pool_params *p, const ml_dims *in,
                          int32_t oy, int32_t ox)
{
    window w;
    int64_t oy0 = (int64_t)oy * p->stride_h - p->pad_h;
    int64_t ox0 = (int64_t)ox * p->stride_w - p->pad_w;
    w.y0 = oy0 < 0 ? 0 : oy0;
    w.x0 = ox0 < 0 ? 0 : ox0;
    w.y1 = oy0 + p->filter_h < in->h ? oy0 + p->filter_h : in->h;
    w.x1 = ox0 + p->filter_w < in->w ? ox0 + p->filter_w : in->w;
    return w;
}

rt_status ml_avg_pool_s8(const ml_pool_params *params,
                         const ml_dims *input_dims, const int8_t *input,
                         const ml_dims *output_dims, int8_t *output)
{
    const int32_t in_w = input_dims->w, c_n = input_dims->c;
    int32_t b, oy, ox, c;
    rt_status status = RT_OK;

    if (!pool_args_ok(params, input_dims, output_dims) ||
        (int64_t)params->filter_h * params->filter_w > (INT32_MAX / 128))
        return RT_ERR_ARG;
    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)input_dims->h *
                                         (size_t)in_w * (size_t)c_n;
        for (oy = 0; oy < output_dims->h; oy++) {
            for (ox = 0; ox < output_dims->w; ox++) {
                window win = clip_window(params, input_dims, oy, ox);
                int32_t count = 0;
                if (win.y1 > win.y0 && win.x1 > win.x0)
                    count = (int32_t)((win.y1 - win.y0) * (win.x1 - win.x0));
                for (c = 0; c < c_n; c++) {
                    int32_t acc = 0;
                    int64_t y, x;
                    if (count == 0) {
                        /* TFLM fails the op here; keep going so the output
                        ** is fully written, and report it. */
                        status = RT_ERR_ARG;
                        *output++ = 0;
                        continue;
                    }
                    for (y = win.y0; y < win.y1; y++)
                        for (x = win.x0; x < win.x1; x++)
                            acc += in_b[((size_t)y * (size_t)in_w +
                                         (size_t)x) * (size_t)c_n +
                                        (size_t)c];
                    acc = acc > 0 ? (acc + count / 2) / count
                                  : (acc - count / 2) / count;
                    *output++ = ml_clamp_to_s8(acc, params->activation.min,
                                               params->activation.max);
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
    const int32_t in_w = input_dims->w, c_n = input_dims->c;
    int32_t b, oy, ox, c;

    if (!pool_args_ok(params, input_dims, output_dims))
        return RT_ERR_ARG;
    for (b = 0; b < input_dims->n; b++) {
        const int8_t *in_b = input + (size_t)b * (size_t)input_dims->h *
                                         (size_t)in_w * (size_t)c_n;
        for (oy = 0; oy < output_dims->h; oy++) {
            for (ox = 0; ox < output_dims->w; ox++) {
                window win = clip_window(params, input_dims, oy, ox);
                for (c = 0; c < c_n; c++) {
                    int32_t max = -128;
                    int64_t y, x;
                    for (y = win.y0; y < win.y1; y++)
                        for (x = win.x0; x < win.x1; x++) {
                            int32_t v = in_b[((size_t)y * (size_t)in_w +
                                              (size_t)x) * (size_t)c_n +
                                             (size_t)c];
                            if (v > max)
                                max = v;
                        }
                    *output++ = ml_clamp_to_s8(max, params->activation.min,
                                               params->activation.max);
                }
            }
        }
    }
    return RT_OK;
}
