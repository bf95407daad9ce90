/*
** test_ml_random.c — the optimized kernels against naive reference loops.
**
** The kernels regroup the reference sums (matrix blocking, offset folding,
** in-image tap ranges, channel blocks, broadcast runs).  This test runs
** FC, CONV_2D, DEPTHWISE_CONV_2D, pooling and broadcast ADD on a few
** hundred random shapes and parameters (strides, padding, dilation,
** groups, depth multipliers, odd sizes, per-channel shifts of both signs)
** and compares every output byte with the spec's formula written as the
** plainest possible loop nest here (spec §2.3-2.5, §2.7, §2.9, with
** ml_mbqm, itself checked by hand in test_ml_quant).  A deterministic
** generator makes any failure reproducible.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ml/ml.h"

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}
static int32_t range(int32_t lo, int32_t hi) /* inclusive */
{
    return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}
static void fill(int8_t *p, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
        p[i] = (int8_t)range(-128, 127);
}
static void fill_q(int32_t *mult, int32_t *shift, int32_t *bias, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        mult[i] = range(1 << 30, INT32_MAX);
        shift[i] = range(-12, 2);
        bias[i] = range(-30000, 30000);
    }
}
static ml_activation act(void)
{
    ml_activation a;
    a.min = range(-128, 0);
    a.max = range(a.min, 127);
    return a;
}
static int8_t ref_out(int32_t acc, int32_t m, int32_t s, int32_t off,
                      ml_activation a)
{
    int32_t y = ml_mbqm(acc, m, s) + off;
    return (int8_t)(y < a.min ? a.min : y > a.max ? a.max : y);
}

enum { BUF = 1 << 16 };
static int8_t x[BUF], w[BUF], y[BUF], want[BUF];
static int32_t mult[512], shift[512], bias[512];

static void random_fc(void **state)
{
    int t;
    (void)state;
    for (t = 0; t < 300; t++) {
        int32_t batches = range(1, 5), depth = range(1, 70), out_ch = range(1, 9);
        bool per_channel = t % 2;
        ml_fc_params p;
        int32_t b, o, d;
        p.input_offset = range(-127, 128);
        p.filter_offset = 0;
        p.output_offset = range(-128, 127);
        p.activation = act();
        fill(x, batches * depth);
        fill(w, out_ch * depth);
        fill_q(mult, shift, bias, out_ch);
        for (b = 0; b < batches; b++)
            for (o = 0; o < out_ch; o++) {
                int32_t acc = bias[o], q = per_channel ? o : 0;
                for (d = 0; d < depth; d++)
                    acc += w[o * depth + d] * (x[b * depth + d] + p.input_offset);
                want[b * out_ch + o] =
                    ref_out(acc, mult[q], shift[q], p.output_offset, p.activation);
            }
        if (per_channel) {
            ml_per_channel_quant q = {mult, shift};
            assert_int_equal(ml_fully_connected_per_channel_s8(
                                 &p, &q, batches, depth, out_ch, x, w, bias, y),
                             RT_OK);
        } else {
            ml_per_tensor_quant q = {mult[0], shift[0]};
            assert_int_equal(ml_fully_connected_s8(&p, &q, batches, depth, out_ch,
                                                   x, w, bias, y),
                             RT_OK);
        }
        assert_memory_equal(y, want, (size_t)(batches * out_ch));
    }
}

static void random_conv(void **state)
{
    int t;
    (void)state;
    for (t = 0; t < 400; t++) {
        /* every fourth case a stride-1 unpadded 1x1 (the matrix path) */
        bool pointwise = t % 4 == 0;
        int32_t n = range(1, 2), ih = range(1, 9), iw = range(1, 9);
        int32_t groups = pointwise ? 1 : range(1, 3);
        int32_t gc = range(1, 6), ic = gc * groups;
        int32_t oc = groups * range(1, 4);
        int32_t kh = pointwise ? 1 : range(1, 4), kw = pointwise ? 1 : range(1, 4);
        int32_t sh = pointwise ? 1 : range(1, 3), sw = pointwise ? 1 : range(1, 3);
        int32_t dh = pointwise ? 1 : range(1, 2), dw = pointwise ? 1 : range(1, 2);
        int32_t ph = pointwise ? 0 : range(0, 2), pw = pointwise ? 0 : range(0, 2);
        int32_t oh = pointwise ? ih : range(1, 6), ow = pointwise ? iw : range(1, 6);
        ml_conv_params p = {range(-127, 128), range(-128, 127), sh, sw, dh, dw,
                            ph, pw, act()};
        ml_per_channel_quant q = {mult, shift};
        ml_dims id = {n, ih, iw, ic}, fd = {oc, kh, kw, gc}, od = {n, oh, ow, oc};
        int32_t b, oy, ox, o, ky, kx, c, i = 0;
        bool with_bias = t % 3 != 0;
        fill(x, n * ih * iw * ic);
        fill(w, oc * kh * kw * gc);
        fill_q(mult, shift, bias, oc);
        for (b = 0; b < n; b++)
            for (oy = 0; oy < oh; oy++)
                for (ox = 0; ox < ow; ox++)
                    for (o = 0; o < oc; o++) {
                        int32_t g = o / (oc / groups), acc = with_bias ? bias[o] : 0;
                        for (ky = 0; ky < kh; ky++)
                            for (kx = 0; kx < kw; kx++) {
                                int32_t iy = oy * sh - ph + dh * ky;
                                int32_t ix = ox * sw - pw + dw * kx;
                                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
                                    continue;
                                for (c = 0; c < gc; c++)
                                    acc += w[((o * kh + ky) * kw + kx) * gc + c] *
                                           (x[((b * ih + iy) * iw + ix) * ic +
                                              g * gc + c] + p.input_offset);
                            }
                        want[i++] = ref_out(acc, mult[o], shift[o],
                                            p.output_offset, p.activation);
                    }
        assert_int_equal(ml_conv_s8(&p, &q, &id, x, &fd, w,
                                    with_bias ? bias : NULL, &od, y), RT_OK);
        assert_memory_equal(y, want, (size_t)i);
    }
}

static void random_depthwise(void **state)
{
    int t;
    (void)state;
    for (t = 0; t < 400; t++) {
        static const int32_t mults_m[] = {1, 1, 2, 3, 4, 8};
        int32_t m = mults_m[range(0, 5)];
        int32_t n = range(1, 2), ih = range(1, 9), iw = range(1, 9);
        int32_t ic = range(1, 11), oc = ic * m;
        int32_t kh = range(1, 4), kw = range(1, 4);
        int32_t sh = range(1, 3), sw = range(1, 3), dh = range(1, 2), dw = range(1, 2);
        int32_t ph = range(0, 2), pw = range(0, 2);
        int32_t oh = range(1, 6), ow = range(1, 6);
        ml_dw_conv_params p = {range(-127, 128), range(-128, 127), m, sh, sw,
                               dh, dw, ph, pw, act()};
        ml_per_channel_quant q = {mult, shift};
        ml_dims id = {n, ih, iw, ic}, fd = {1, kh, kw, oc}, od = {n, oh, ow, oc};
        int32_t b, oy, ox, o, ky, kx, i = 0;
        fill(x, n * ih * iw * ic);
        fill(w, kh * kw * oc);
        fill_q(mult, shift, bias, oc);
        for (b = 0; b < n; b++)
            for (oy = 0; oy < oh; oy++)
                for (ox = 0; ox < ow; ox++)
                    for (o = 0; o < oc; o++) {
                        int32_t acc = bias[o];
                        for (ky = 0; ky < kh; ky++)
                            for (kx = 0; kx < kw; kx++) {
                                int32_t iy = oy * sh - ph + dh * ky;
                                int32_t ix = ox * sw - pw + dw * kx;
                                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
                                    continue;
                                acc += w[(ky * kw + kx) * oc + o] *
                                       (x[((b * ih + iy) * iw + ix) * ic + o / m] +
                                        p.input_offset);
                            }
                        want[i++] = ref_out(acc, mult[o], shift[o],
                                            p.output_offset, p.activation);
                    }
        assert_int_equal(ml_depthwise_conv_s8(&p, &q, &id, x, &fd, w, bias, &od, y),
                         RT_OK);
        assert_memory_equal(y, want, (size_t)i);
    }
}

static void random_pool(void **state)
{
    int t;
    (void)state;
    for (t = 0; t < 300; t++) {
        int32_t n = range(1, 2), ih = range(1, 8), iw = range(1, 8), c = range(1, 5);
        int32_t fh = range(1, 4), fw = range(1, 4), sh = range(1, 3), sw = range(1, 3);
        /* padding below the filter size keeps every window non-empty */
        int32_t ph = range(0, fh - 1), pw = range(0, fw - 1);
        int32_t oh = range(1, (ih + 2 * ph - fh) / sh + 1 > 0 ? (ih + 2 * ph - fh) / sh + 1 : 1);
        int32_t ow = range(1, (iw + 2 * pw - fw) / sw + 1 > 0 ? (iw + 2 * pw - fw) / sw + 1 : 1);
        ml_pool_params p = {sh, sw, fh, fw, ph, pw, act()};
        ml_dims id = {n, ih, iw, c}, od = {n, oh, ow, c};
        int32_t b, oy, ox, ch, ky, kx, i = 0;
        int8_t want_max[4096];
        bool empty = false;
        fill(x, n * ih * iw * c);
        for (b = 0; b < n; b++)
            for (oy = 0; oy < oh; oy++)
                for (ox = 0; ox < ow; ox++)
                    for (ch = 0; ch < c; ch++) {
                        int32_t acc = 0, cnt = 0, mx = -128, v;
                        for (ky = 0; ky < fh; ky++)
                            for (kx = 0; kx < fw; kx++) {
                                int32_t iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
                                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
                                    continue;
                                v = x[((b * ih + iy) * iw + ix) * c + ch];
                                acc += v;
                                cnt++;
                                mx = v > mx ? v : mx;
                            }
                        if (cnt == 0) {
                            empty = true;
                            cnt = 1;
                        }
                        acc = acc > 0 ? (acc + cnt / 2) / cnt : (acc - cnt / 2) / cnt;
                        want[i] = (int8_t)(acc < p.activation.min ? p.activation.min
                                           : acc > p.activation.max ? p.activation.max
                                                                    : acc);
                        want_max[i++] = (int8_t)(mx < p.activation.min ? p.activation.min
                                                 : mx > p.activation.max ? p.activation.max
                                                                         : mx);
                    }
        assert_int_equal(ml_max_pool_s8(&p, &id, x, &od, y), RT_OK);
        assert_memory_equal(y, want_max, (size_t)i);
        if (empty)
            continue; /* the average of nothing is an error (tested by hand) */
        assert_int_equal(ml_avg_pool_s8(&p, &id, x, &od, y), RT_OK);
        assert_memory_equal(y, want, (size_t)i);
    }
}

static void random_broadcast_add(void **state)
{
    int t;
    (void)state;
    for (t = 0; t < 300; t++) {
        int32_t rank = range(0, ML_MAX_DIMS), r1, r2, d, i, total = 1;
        ml_shape so, s1, s2;
        ml_add_params p;
        int32_t idx[ML_MAX_DIMS];
        so.rank = rank;
        for (d = 0; d < rank; d++) {
            so.dims[d] = range(1, 3);
            total *= so.dims[d];
        }
        /* each input: a suffix of the output shape, some extents 1 */
        r1 = range(0, rank);
        r2 = range(0, rank);
        s1.rank = r1;
        s2.rank = r2;
        for (d = 0; d < r1; d++)
            s1.dims[d] = range(0, 2) ? so.dims[rank - r1 + d] : 1;
        for (d = 0; d < r2; d++)
            s2.dims[d] = range(0, 2) ? so.dims[rank - r2 + d] : 1;
        p.input1_offset = range(-127, 128);
        p.input2_offset = range(-127, 128);
        p.output_offset = range(-128, 127);
        p.left_shift = 20;
        p.input1_multiplier = range(1 << 30, INT32_MAX);
        p.input1_shift = range(-3, 0);
        p.input2_multiplier = range(1 << 30, INT32_MAX);
        p.input2_shift = range(-3, 0);
        p.output_multiplier = range(1 << 30, INT32_MAX);
        p.output_shift = range(-22, -16);
        p.activation = act();
        fill(x, 1024);
        fill(w, 1024);
        for (i = 0; i < total; i++) {
            int32_t rem = i, o1 = 0, o2 = 0, st1 = 1, st2 = 1, a, bb, sum, v;
            for (d = rank - 1; d >= 0; d--) {
                idx[d] = rem % so.dims[d];
                rem /= so.dims[d];
            }
            for (d = r1 - 1; d >= 0; d--) {
                o1 += (s1.dims[d] == 1 ? 0 : idx[rank - r1 + d]) * st1;
                st1 *= s1.dims[d];
            }
            for (d = r2 - 1; d >= 0; d--) {
                o2 += (s2.dims[d] == 1 ? 0 : idx[rank - r2 + d]) * st2;
                st2 *= s2.dims[d];
            }
            a = ml_mbqm((x[o1] + p.input1_offset) * (1 << 20), p.input1_multiplier,
                        p.input1_shift);
            bb = ml_mbqm((w[o2] + p.input2_offset) * (1 << 20), p.input2_multiplier,
                         p.input2_shift);
            sum = a + bb;
            v = ml_mbqm(sum, p.output_multiplier, p.output_shift) + p.output_offset;
            want[i] = (int8_t)(v < p.activation.min ? p.activation.min
                               : v > p.activation.max ? p.activation.max : v);
        }
        assert_int_equal(ml_add_broadcast_s8(&p, &s1, x, &s2, w, &so, y), RT_OK);
        assert_memory_equal(y, want, (size_t)total);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_fc),
        cmocka_unit_test(random_conv),
        cmocka_unit_test(random_depthwise),
        cmocka_unit_test(random_pool),
        cmocka_unit_test(random_broadcast_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
