/*
** test_ml_conv.c — CONV_2D and DEPTHWISE_CONV_2D int8.
**
** Hand-derived cases (sums written out in the comments; scale 1.0 so the
** requantization is the identity — MBQM(x, 2^30, 1) = SRDHM(2x, 2^30) = x)
** cover padding, offsets applied only to in-image taps, stride, dilation,
** groups, depth multiplier and per-channel shifts.  The CMSIS-NN golden
** vectors (basic, conv_out_activation, kernel1x1, stride2pad1, depthwise_2,
** depthwise_out_activation) run when ../shared exists.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ml/ml.h"
#include "tests/unit/support/ml_golden.h"
#include "tests/unit/support/ml_test_util.h"

/* a 3x3 single-channel image 1..9, row-major */
static const int8_t img[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
static const int8_t ones4[4] = {1, 1, 1, 1};
static const int32_t one_mult[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
static const int32_t one_shift[4] = {1, 1, 1, 1};

static ml_conv_params conv_params(int32_t stride, int32_t dil, int32_t pad)
{
    ml_conv_params p = {0, 0, stride, stride, dil, dil, pad, pad, {-128, 127}};
    return p;
}

static void conv_hand_valid(void **state)
{
    /* 2x2 all-ones filter, stride 1, no padding: window sums
    ** 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28 */
    ml_conv_params p = conv_params(1, 1, 0);
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 2, 2, 1);
    ml_dims out = ml_test_dims(1, 2, 2, 1);
    int8_t y[4];
    static const int8_t want[4] = {12, 16, 24, 28};
    (void)state;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &out, y),
                     RT_OK);
    assert_memory_equal(y, want, 4);
}

static void conv_hand_pad_stride_offset(void **state)
{
    /* pad 1 top/left, stride 2, 2x2 ones, output 2x2.  Window origins
    ** (-1,-1), (-1,1), (1,-1), (1,1); in-image taps:
    **   (0,0): {1}          = 1
    **   (0,1): {2,3}        = 5
    **   (1,0): {4,7}        = 11
    **   (1,1): {5,6,8,9}    = 28
    ** With input zp -1 (offset +1) only in-image taps gain 1 each:
    **   [1+1, 5+2, 11+2, 28+4] = [2, 7, 13, 32]; bias [-2] then gives
    **   [0, 5, 11, 30]; output zp 3: [3, 8, 14, 33]. */
    ml_conv_params p = conv_params(2, 1, 1);
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 2, 2, 1);
    ml_dims out = ml_test_dims(1, 2, 2, 1);
    static const int32_t bias[1] = {-2};
    static const int8_t want0[4] = {1, 5, 11, 28};
    static const int8_t want1[4] = {3, 8, 14, 33};
    int8_t y[4];
    (void)state;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &out, y),
                     RT_OK);
    assert_memory_equal(y, want0, 4);
    p.input_offset = 1;
    p.output_offset = 3;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, bias, &out, y),
                     RT_OK);
    assert_memory_equal(y, want1, 4);
}

static void conv_hand_dilation(void **state)
{
    /* 2x2 ones with dilation 2 on the 3x3 image: taps at the corners,
    ** 1 + 3 + 7 + 9 = 20 */
    ml_conv_params p = conv_params(1, 2, 0);
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 2, 2, 1);
    ml_dims out = ml_test_dims(1, 1, 1, 1);
    int8_t y[1];
    (void)state;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &out, y),
                     RT_OK);
    assert_int_equal(y[0], 20);
}

static void conv_hand_groups_per_channel(void **state)
{
    /* 1x1 conv, 4 input channels [1, 2, 3, 4], filter depth 2 -> 2 groups,
    ** 2 output channels (one per group):
    **   oc0 (group 0, ch 0-1), w = [1, 1]:   1 + 2 = 3
    **   oc1 (group 1, ch 2-3), w = [1, -1]:  3 - 4 = -1
    ** oc0 at scale 1.0; oc1 at (2^30, 3) = scale 4.0: -4. */
    static const int8_t x[4] = {1, 2, 3, 4};
    static const int8_t w[4] = {1, 1, 1, -1};
    static const int32_t mult[2] = {1 << 30, 1 << 30};
    static const int32_t shift[2] = {1, 3};
    ml_conv_params p = conv_params(1, 1, 0);
    ml_per_channel_quant q = {mult, shift};
    ml_dims in = ml_test_dims(1, 1, 1, 4), f = ml_test_dims(2, 1, 1, 2);
    ml_dims out = ml_test_dims(1, 1, 1, 2);
    int8_t y[2];
    (void)state;
    assert_int_equal(ml_conv_s8(&p, &q, &in, x, &f, w, NULL, &out, y), RT_OK);
    assert_int_equal(y[0], 3);
    assert_int_equal(y[1], -4);
}

static void conv_rejects_bad_args(void **state)
{
    ml_conv_params p = conv_params(1, 1, 0);
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 2, 2, 1);
    ml_dims out = ml_test_dims(1, 2, 2, 1);
    ml_dims bad_c = ml_test_dims(1, 2, 2, 2);
    int8_t y[8];
    (void)state;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &bad_c, y),
                     RT_ERR_ARG);
    p.stride_h = 0;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &out, y),
                     RT_ERR_ARG);
    p = conv_params(1, 1, 0);
    p.pad_w = -1;
    assert_int_equal(ml_conv_s8(&p, &q, &in, img, &f, ones4, NULL, &out, y),
                     RT_ERR_ARG);
}

static void dw_hand_multiplier(void **state)
{
    /* 2x2 image, 2 channels: pixels (0,0)=[1,10] (0,1)=[2,20]
    ** (1,0)=[3,30] (1,1)=[4,40]; M = 2 so oc = ic*2 + m (4 outputs).
    ** Filter 1x2x2x4, per tap [oc0, oc1, oc2, oc3]:
    **   oc0 = 1 everywhere              -> 1+2+3+4     = 10
    **   oc1 = 1 on the top row only     -> 1+2         = 3
    **   oc2 = 1 everywhere (channel 1)  -> 10+20+30+40 = 100
    **   oc3 = -1 on the right column    -> -(20+40)    = -60 */
    static const int8_t x[8] = {1, 10, 2, 20, 3, 30, 4, 40};
    static const int8_t w[16] = {
        1, 1, 1, 0,  /* tap (0,0) */
        1, 1, 1, -1, /* tap (0,1) */
        1, 0, 1, 0,  /* tap (1,0) */
        1, 0, 1, -1, /* tap (1,1) */
    };
    static const int8_t want[4] = {10, 3, 100, -60};
    ml_dw_conv_params p = {0, 0, 2, 1, 1, 1, 1, 0, 0, {-128, 127}};
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 2, 2, 2), f = ml_test_dims(1, 2, 2, 4);
    ml_dims out = ml_test_dims(1, 1, 1, 4);
    int8_t y[4];
    (void)state;
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, x, &f, w, NULL, &out, y),
                     RT_OK);
    assert_memory_equal(y, want, 4);

    /* a wrong multiplier (3 * 2 != 4) is rejected */
    p.depth_multiplier = 3;
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, x, &f, w, NULL, &out, y),
                     RT_ERR_ARG);
}

static void dw_hand_padding_clamp(void **state)
{
    /* the 3x3 image, M = 1, 2x2 ones, pad 1, stride 2, input offset +1,
    ** output zp 3, bias -2: the same numbers as conv_hand_pad_stride_offset
    ** ([3, 8, 14, 33]) since with one channel the two ops coincide; with
    ** the fused clamp [5, 20]: [5, 8, 14, 20]. */
    static const int32_t bias[1] = {-2};
    static const int8_t want[4] = {5, 8, 14, 20};
    ml_dw_conv_params p = {1, 3, 1, 2, 2, 1, 1, 1, 1, {5, 20}};
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 2, 2, 1);
    ml_dims out = ml_test_dims(1, 2, 2, 1);
    int8_t y[4];
    (void)state;
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, img, &f, ones4, bias,
                                          &out, y), RT_OK);
    assert_memory_equal(y, want, 4);
}

/* A 1x1 filter makes the dilation irrelevant to the window geometry, so
** ml_window_fits accepts dilation_h = 10^9; but the kernel's per-row pointer
** step is dilation_h * W * C = 3 * 10^9, past int32 (found by fuzz_ml_model
** through corrupted model tables).  The kernel must refuse it, not overflow
** (under UBSan the overflow would abort this test). */
static void dw_rejects_step_overflow(void **state)
{
    static const int8_t one[1] = {1};
    ml_dw_conv_params p = {0, 0, 1, 1, 1, 1000000000, 1, 0, 0, {-128, 127}};
    ml_per_channel_quant q = {one_mult, one_shift};
    ml_dims in = ml_test_dims(1, 3, 3, 1), f = ml_test_dims(1, 1, 1, 1);
    ml_dims out = ml_test_dims(1, 3, 3, 1);
    int8_t y[9];
    (void)state;
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, img, &f, one, NULL, &out, y),
                     RT_ERR_ARG);
    /* the same call with dilation 1 is fine: a 1x1 ones filter copies x */
    p.dilation_h = 1;
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, img, &f, one, NULL, &out, y),
                     RT_OK);
    assert_memory_equal(y, img, 9);
}

/* ------------------------------------------------------------- golden */

typedef struct conv_case {
    ml_golden *g;
    const int8_t *x, *w, *ref;
    const int32_t *bias, *mult, *shift;
    size_t nx, nw, nref, nb, nm, ns;
} conv_case;

static int32_t cfg(const ml_golden *g, const char *prefix, const char *key)
{
    char name[128];
    snprintf(name, sizeof name, "%s_%s", prefix, key);
    return (int32_t)ml_golden_int(g, name);
}

static const void *arr(const ml_golden *g, const char *name, const char *key,
                       int s32, size_t *n)
{
    char a[128];
    const void *p;
    snprintf(a, sizeof a, "%s_%s", name, key);
    p = s32 ? (const void *)ml_golden_s32(g, a, n)
            : (const void *)ml_golden_s8(g, a, n);
    assert_non_null(p);
    return p;
}

static bool load_case(conv_case *c, const char *name)
{
    c->g = ml_golden_load(name);
    if (!c->g)
        return false;
    c->x = arr(c->g, name, "input", 0, &c->nx);
    c->w = arr(c->g, name, "weights", 0, &c->nw);
    c->ref = arr(c->g, name, "output_ref", 0, &c->nref);
    c->bias = arr(c->g, name, "biases", 1, &c->nb);
    c->mult = arr(c->g, name, "output_mult", 1, &c->nm);
    c->shift = arr(c->g, name, "output_shift", 1, &c->ns);
    return true;
}

static void run_golden_conv(const char *name, const char *prefix)
{
    conv_case c;
    ml_conv_params p;
    ml_per_channel_quant q;
    ml_dims in, f, out;
    int8_t *y;
    int32_t out_ch;
    if (!load_case(&c, name))
        skip();
    out_ch = cfg(c.g, prefix, "OUT_CH");
    in = ml_test_dims(cfg(c.g, prefix, "INPUT_BATCHES"),
                      cfg(c.g, prefix, "INPUT_H"), cfg(c.g, prefix, "INPUT_W"),
                      cfg(c.g, prefix, "IN_CH"));
    f = ml_test_dims(out_ch, cfg(c.g, prefix, "FILTER_Y"),
                     cfg(c.g, prefix, "FILTER_X"), cfg(c.g, prefix, "IN_CH"));
    out = ml_test_dims(in.n, cfg(c.g, prefix, "OUTPUT_H"),
                       cfg(c.g, prefix, "OUTPUT_W"), out_ch);
    p.input_offset = cfg(c.g, prefix, "INPUT_OFFSET");
    p.output_offset = cfg(c.g, prefix, "OUTPUT_OFFSET");
    p.stride_h = cfg(c.g, prefix, "STRIDE_Y");
    p.stride_w = cfg(c.g, prefix, "STRIDE_X");
    p.dilation_h = cfg(c.g, prefix, "DILATION_Y");
    p.dilation_w = cfg(c.g, prefix, "DILATION_X");
    p.pad_h = cfg(c.g, prefix, "PAD_Y");
    p.pad_w = cfg(c.g, prefix, "PAD_X");
    p.activation.min = cfg(c.g, prefix, "OUT_ACTIVATION_MIN");
    p.activation.max = cfg(c.g, prefix, "OUT_ACTIVATION_MAX");
    assert_int_equal(c.nx, (size_t)(in.n * in.h * in.w * in.c));
    assert_int_equal(c.nw, (size_t)(f.n * f.h * f.w * f.c));
    assert_int_equal(c.nref, (size_t)(out.n * out.h * out.w * out.c));
    assert_int_equal(c.nb, (size_t)out_ch);
    assert_int_equal(c.nm, (size_t)out_ch);
    assert_int_equal(c.ns, (size_t)out_ch);
    q.multiplier = c.mult;
    q.shift = c.shift;
    y = calloc(c.nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_conv_s8(&p, &q, &in, c.x, &f, c.w, c.bias, &out, y),
                     RT_OK);
    assert_memory_equal(y, c.ref, c.nref);
    free(y);
    ml_golden_free(c.g);
}

static void run_golden_dw(const char *name, const char *prefix)
{
    conv_case c;
    ml_dw_conv_params p;
    ml_per_channel_quant q;
    ml_dims in, f, out;
    int8_t *y;
    int32_t out_ch;
    if (!load_case(&c, name))
        skip();
    out_ch = cfg(c.g, prefix, "OUT_CH");
    in = ml_test_dims(cfg(c.g, prefix, "INPUT_BATCHES"),
                      cfg(c.g, prefix, "INPUT_H"), cfg(c.g, prefix, "INPUT_W"),
                      cfg(c.g, prefix, "IN_CH"));
    f = ml_test_dims(1, cfg(c.g, prefix, "FILTER_Y"),
                     cfg(c.g, prefix, "FILTER_X"), out_ch);
    out = ml_test_dims(in.n, cfg(c.g, prefix, "OUTPUT_H"),
                       cfg(c.g, prefix, "OUTPUT_W"), out_ch);
    p.input_offset = cfg(c.g, prefix, "INPUT_OFFSET");
    p.output_offset = cfg(c.g, prefix, "OUTPUT_OFFSET");
    p.depth_multiplier = cfg(c.g, prefix, "CH_MULT");
    p.stride_h = cfg(c.g, prefix, "STRIDE_Y");
    p.stride_w = cfg(c.g, prefix, "STRIDE_X");
    p.dilation_h = cfg(c.g, prefix, "DILATION_Y");
    p.dilation_w = cfg(c.g, prefix, "DILATION_X");
    p.pad_h = cfg(c.g, prefix, "PAD_Y");
    p.pad_w = cfg(c.g, prefix, "PAD_X");
    p.activation.min = cfg(c.g, prefix, "OUT_ACTIVATION_MIN");
    p.activation.max = cfg(c.g, prefix, "OUT_ACTIVATION_MAX");
    assert_int_equal(c.nx, (size_t)(in.n * in.h * in.w * in.c));
    assert_int_equal(c.nw, (size_t)(f.h * f.w * f.c));
    assert_int_equal(c.nref, (size_t)(out.n * out.h * out.w * out.c));
    q.multiplier = c.mult;
    q.shift = c.shift;
    y = calloc(c.nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_depthwise_conv_s8(&p, &q, &in, c.x, &f, c.w, c.bias,
                                          &out, y), RT_OK);
    assert_memory_equal(y, c.ref, c.nref);
    free(y);
    ml_golden_free(c.g);
}

static void conv_golden_basic(void **s) { (void)s; run_golden_conv("basic", "BASIC"); }
static void conv_golden_out_activation(void **s)
{
    (void)s;
    run_golden_conv("conv_out_activation", "CONV_OUT_ACTIVATION");
}
static void conv_golden_kernel1x1(void **s) { (void)s; run_golden_conv("kernel1x1", "KERNEL1X1"); }
static void conv_golden_stride2pad1(void **s)
{
    (void)s;
    run_golden_conv("stride2pad1", "STRIDE2PAD1");
}
static void dw_golden_2(void **s) { (void)s; run_golden_dw("depthwise_2", "DEPTHWISE_2"); }
static void dw_golden_out_activation(void **s)
{
    (void)s;
    run_golden_dw("depthwise_out_activation", "DEPTHWISE_OUT_ACTIVATION");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_hand_valid),
        cmocka_unit_test(conv_hand_pad_stride_offset),
        cmocka_unit_test(conv_hand_dilation),
        cmocka_unit_test(conv_hand_groups_per_channel),
        cmocka_unit_test(conv_rejects_bad_args),
        cmocka_unit_test(dw_hand_multiplier),
        cmocka_unit_test(dw_hand_padding_clamp),
        cmocka_unit_test(dw_rejects_step_overflow),
        cmocka_unit_test(conv_golden_basic),
        cmocka_unit_test(conv_golden_out_activation),
        cmocka_unit_test(conv_golden_kernel1x1),
        cmocka_unit_test(conv_golden_stride2pad1),
        cmocka_unit_test(dw_golden_2),
        cmocka_unit_test(dw_golden_out_activation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
