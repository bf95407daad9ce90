/*
** test_ml_fc.c — FULLY_CONNECTED int8, per-tensor and per-channel.
**
** Hand-derived cases (derivations in the comments, from spec §2.2/§2.3)
** run everywhere; the CMSIS-NN golden vectors (fully_connected,
** fully_connected_out_activation, fc_per_ch) run when ../shared exists.
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

/* x = [2, 3], input_zp = -1 (offset +1), W = [[1, 2], [3, -4]],
** bias = [10, -10]:
**   acc0 = 1*(2+1) + 2*(3+1) + 10 = 21
**   acc1 = 3*(2+1) - 4*(3+1) - 10 = -17
** multiplier 2^30, shift 0 (scale 0.5):
**   SRDHM(21, 2^30)  = (21*2^30 + 2^30) / 2^31 = 11        (10.5 -> 11)
**   SRDHM(-17, 2^30) = (-17*2^30 + 1 - 2^30) / 2^31, truncated = -8
**                      (-8.5 -> -8: gemmlowp ties go toward +inf)
** + output_zp 5 -> [16, -3]. */
static const int8_t hand_x[2] = {2, 3};
static const int8_t hand_w[4] = {1, 2, 3, -4};
static const int32_t hand_b[2] = {10, -10};

static ml_fc_params hand_params(int32_t act_min, int32_t act_max)
{
    ml_fc_params p = {1, 0, 5, {act_min, act_max}};
    return p;
}

static void fc_hand_per_tensor(void **state)
{
    ml_fc_params p = hand_params(-128, 127);
    ml_per_tensor_quant q = {1 << 30, 0};
    int8_t y[2];
    (void)state;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_OK);
    assert_int_equal(y[0], 16);
    assert_int_equal(y[1], -3);

    /* shift -2 (scale 1/8): RDBPOT(11, 2) = 3 (2.75 -> 3),
    ** RDBPOT(-8, 2) = -2 (exact): [3+5, -2+5] = [8, 3] */
    q.shift = -2;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_OK);
    assert_int_equal(y[0], 8);
    assert_int_equal(y[1], 3);

    /* shift +1 (scale 1.0): SRDHM(42, 2^30) = 21, SRDHM(-34, 2^30) = -17:
    ** [26, -12]; with the fused clamp [-10, 20]: [20, -10] */
    q.shift = 1;
    p = hand_params(-10, 20);
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_OK);
    assert_int_equal(y[0], 20);
    assert_int_equal(y[1], -10);
}

static void fc_hand_batches_no_bias(void **state)
{
    /* two batches, no bias, scale 1.0 (2^30, shift 1), zp 0, offset 0:
    ** batch 0 x = [2, 3]:   [1*2 + 2*3, 3*2 - 4*3] = [8, -6]
    ** batch 1 x = [-1, 0]:  [-1, -3] */
    static const int8_t x[4] = {2, 3, -1, 0};
    ml_fc_params p = {0, 0, 0, {-128, 127}};
    ml_per_tensor_quant q = {1 << 30, 1};
    int8_t y[4];
    (void)state;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 2, 2, 2, x, hand_w, NULL,
                                           y), RT_OK);
    assert_int_equal(y[0], 8);
    assert_int_equal(y[1], -6);
    assert_int_equal(y[2], -1);
    assert_int_equal(y[3], -3);
}

static void fc_hand_saturation(void **state)
{
    /* one input 127, weight 127, offset 128 (zp -128): acc = 127*255 =
    ** 32385; scale 1.0 gives 32385 -> clamps to 127; a negative weight
    ** gives -32385 -> -128; multiplier 0 gives 0 + zp. */
    static const int8_t x[1] = {127};
    static const int8_t w[3] = {127, -127, 1};
    ml_fc_params p = {128, 0, 3, {-128, 127}};
    ml_per_tensor_quant q = {1 << 30, 1};
    ml_per_tensor_quant zero = {0, 0};
    int8_t y[3];
    (void)state;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 1, 3, x, w, NULL, y),
                     RT_OK);
    assert_int_equal(y[0], 127);
    assert_int_equal(y[1], -128);
    assert_int_equal(y[2], 127); /* 255 + 3 */
    assert_int_equal(ml_fully_connected_s8(&p, &zero, 1, 1, 3, x, w, NULL, y),
                     RT_OK);
    assert_int_equal(y[0], 3);
    assert_int_equal(y[1], 3);
}

static void fc_hand_per_channel(void **state)
{
    /* the hand case with channel 0 at (2^30, 0) and channel 1 at
    ** (2^30, -2): [11 + 5, -2 + 5] = [16, 3] */
    static const int32_t mult[2] = {1 << 30, 1 << 30};
    static const int32_t shift[2] = {0, -2};
    ml_per_channel_quant q = {mult, shift};
    ml_fc_params p = hand_params(-128, 127);
    int8_t y[2];
    (void)state;
    assert_int_equal(ml_fully_connected_per_channel_s8(&p, &q, 1, 2, 2, hand_x,
                                                       hand_w, hand_b, y),
                     RT_OK);
    assert_int_equal(y[0], 16);
    assert_int_equal(y[1], 3);
}

static void fc_rejects_bad_args(void **state)
{
    ml_fc_params p = hand_params(-128, 127);
    ml_per_tensor_quant q = {1 << 30, 0};
    int8_t y[2];
    (void)state;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 0, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_ERR_ARG);
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 0, 2, hand_x, hand_w,
                                           hand_b, y), RT_ERR_ARG);
    /* a depth that could overflow the int32 accumulator */
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 1 << 20, 2, hand_x,
                                           hand_w, hand_b, y), RT_ERR_ARG);
    p.activation.min = 10;
    p.activation.max = 9;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_ERR_ARG);
    p = hand_params(-128, 127);
    q.shift = 31;
    assert_int_equal(ml_fully_connected_s8(&p, &q, 1, 2, 2, hand_x, hand_w,
                                           hand_b, y), RT_ERR_ARG);
}

/* ------------------------------------------------------------- golden */

/* CMSIS-NN per-tensor cases: <case>_input/_weights/_biases/_output_ref,
** multiplier/shift from the config (PREFIX_OUTPUT_MULTIPLIER/_SHIFT). */
static void run_golden_per_tensor(const char *name, const char *prefix)
{
    ml_golden *g = ml_golden_load(name);
    char key[128], arr[128];
    const int8_t *x, *w, *ref;
    const int32_t *bias;
    size_t nx, nw, nb, nref;
    int32_t batches, depth, out_ch;
    ml_fc_params p;
    ml_per_tensor_quant q;
    int8_t *y;
    if (!g)
        skip();
#define CFG(s) (snprintf(key, sizeof key, "%s_%s", prefix, s), \
                (int32_t)ml_golden_int(g, key))
#define ARR(s) (snprintf(arr, sizeof arr, "%s_%s", name, s), arr)
    batches = CFG("INPUT_BATCHES");
    depth = CFG("ACCUMULATION_DEPTH");
    out_ch = CFG("OUT_CH");
    p.input_offset = CFG("INPUT_OFFSET");
    p.filter_offset = 0;
    p.output_offset = CFG("OUTPUT_OFFSET");
    p.activation.min = CFG("OUT_ACTIVATION_MIN");
    p.activation.max = CFG("OUT_ACTIVATION_MAX");
    q.multiplier = CFG("OUTPUT_MULTIPLIER");
    q.shift = CFG("OUTPUT_SHIFT");
    x = ml_golden_s8(g, ARR("input"), &nx);
    w = ml_golden_s8(g, ARR("weights"), &nw);
    bias = ml_golden_s32(g, ARR("biases"), &nb);
    ref = ml_golden_s8(g, ARR("output_ref"), &nref);
    assert_non_null(x);
    assert_non_null(w);
    assert_non_null(bias);
    assert_non_null(ref);
    assert_int_equal(nx, (size_t)(batches * depth));
    assert_int_equal(nw, (size_t)(out_ch * depth));
    assert_int_equal(nb, (size_t)out_ch);
    assert_int_equal(nref, (size_t)(batches * out_ch));
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_fully_connected_s8(&p, &q, batches, depth, out_ch, x,
                                           w, bias, y), RT_OK);
    assert_memory_equal(y, ref, nref);
    free(y);
    ml_golden_free(g);
#undef CFG
#undef ARR
}

static void fc_golden_fully_connected(void **state)
{
    (void)state;
    run_golden_per_tensor("fully_connected", "FULLY_CONNECTED");
}

static void fc_golden_out_activation(void **state)
{
    (void)state;
    run_golden_per_tensor("fully_connected_out_activation",
                          "FULLY_CONNECTED_OUT_ACTIVATION");
}

static void fc_golden_per_channel(void **state)
{
    ml_golden *g = ml_golden_load("fc_per_ch");
    const int8_t *x, *w, *ref;
    const int32_t *bias, *mult, *shift;
    size_t nx, nw, nb, nref, nm, ns;
    int32_t batches, depth, out_ch;
    ml_fc_params p;
    ml_per_channel_quant q;
    int8_t *y;
    (void)state;
    if (!g)
        skip();
    batches = (int32_t)ml_golden_int(g, "FC_PER_CH_INPUT_BATCHES");
    depth = (int32_t)ml_golden_int(g, "FC_PER_CH_ACCUMULATION_DEPTH");
    out_ch = (int32_t)ml_golden_int(g, "FC_PER_CH_OUT_CH");
    assert_int_equal(ml_golden_int(g, "FC_PER_CH_PER_CHANNEL_QUANT"), 1);
    p.input_offset = (int32_t)ml_golden_int(g, "FC_PER_CH_INPUT_OFFSET");
    p.filter_offset = 0;
    p.output_offset = (int32_t)ml_golden_int(g, "FC_PER_CH_OUTPUT_OFFSET");
    p.activation.min = (int32_t)ml_golden_int(g, "FC_PER_CH_OUT_ACTIVATION_MIN");
    p.activation.max = (int32_t)ml_golden_int(g, "FC_PER_CH_OUT_ACTIVATION_MAX");
    x = ml_golden_s8(g, "fc_per_ch_input", &nx);
    w = ml_golden_s8(g, "fc_per_ch_weights", &nw);
    bias = ml_golden_s32(g, "fc_per_ch_bias", &nb);
    mult = ml_golden_s32(g, "fc_per_ch_output_multiplier", &nm);
    shift = ml_golden_s32(g, "fc_per_ch_output_shift", &ns);
    ref = ml_golden_s8(g, "fc_per_ch_output", &nref);
    assert_non_null(x);
    assert_non_null(w);
    assert_non_null(bias);
    assert_non_null(mult);
    assert_non_null(shift);
    assert_non_null(ref);
    assert_int_equal(nx, (size_t)(batches * depth));
    assert_int_equal(nw, (size_t)(out_ch * depth));
    assert_int_equal(nb, (size_t)out_ch);
    assert_int_equal(nm, (size_t)out_ch);
    assert_int_equal(ns, (size_t)out_ch);
    assert_int_equal(nref, (size_t)(batches * out_ch));
    q.multiplier = mult;
    q.shift = shift;
    y = calloc(nref, 1);
    assert_non_null(y);
    assert_int_equal(ml_fully_connected_per_channel_s8(&p, &q, batches, depth,
                                                       out_ch, x, w, bias, y),
                     RT_OK);
    assert_memory_equal(y, ref, nref);
    free(y);
    ml_golden_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fc_hand_per_tensor),
        cmocka_unit_test(fc_hand_batches_no_bias),
        cmocka_unit_test(fc_hand_saturation),
        cmocka_unit_test(fc_hand_per_channel),
        cmocka_unit_test(fc_rejects_bad_args),
        cmocka_unit_test(fc_golden_fully_connected),
        cmocka_unit_test(fc_golden_out_activation),
        cmocka_unit_test(fc_golden_per_channel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
