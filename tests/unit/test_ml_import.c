/*
** test_ml_import.c — the .tflite writer, reader, compiler and executor on
** small models the test builds itself (no fetched files), and the
** importer's rejections with their exact messages.
**
** Expected outputs are derived by hand in the comments next to each model,
** from the rules of shared/int8-spec.md §2 (TFLM reference kernels,
** double rounding): the scales are powers of two so every multiplier is
** exactly 2^30 with a small shift, and MBQM(acc, 2^30, -k) is acc / 2^(k+1)
** rounded half away from zero twice (SRDHM, then RoundingDivideByPOT).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ml/import/import.h"

enum { I8 = ML_TFLITE_INT8, I32 = ML_TFLITE_INT32 };

/* Adds an int8 activation tensor with per-tensor quantization. */
static int act(ml_tflite_builder *b, const char *name, int rank, const int32_t *shape,
               float scale, int64_t zp)
{
    return ml_tflite_add_tensor(b, name, I8, rank, shape, 1, &scale, &zp, 0, NULL, 0);
}

/* Serialises b, reads it back, compiles it; the caller frees both. */
static ml_compiled *build(ml_tflite_builder *b, ml_graph **g)
{
    uint8_t *buf;
    size_t len;
    ml_import_error err;
    ml_compiled *c;
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    *g = ml_graph_read(buf, len, &err);
    free(buf);
    if (*g == NULL)
        fail_msg("read: %s", err.msg);
    c = ml_graph_compile(*g, &err);
    if (c == NULL)
        fail_msg("compile: %s", err.msg);
    return c;
}

/* Runs c with the given input bytes (all inputs concatenated) and compares
   the first output with expect. */
static void run_expect(const ml_compiled *c, const int8_t *in, size_t in_len,
                       const int8_t *expect, size_t out_len)
{
    uint8_t *arena = calloc(c->model.arena_size + 4u, 1);
    size_t off = 0, sz = 0, i;
    const int8_t *out;
    assert_non_null(arena);
    for (i = 0; i < c->model.n_inputs; i++) {
        int8_t *p = ml_model_input(&c->model, arena, c->model.arena_size, (uint32_t)i, &sz);
        assert_non_null(p);
        assert_true(off + sz <= in_len);
        memcpy(p, in + off, sz);
        off += sz;
    }
    assert_int_equal(off, in_len);
    assert_int_equal(ml_model_run(&c->model, arena, c->model.arena_size), RT_OK);
    out = ml_model_output(&c->model, arena, c->model.arena_size, 0, &sz);
    assert_non_null(out);
    assert_int_equal(sz, out_len);
    assert_memory_equal(out, expect, out_len);
    /* one byte short of the planned arena is refused, not overrun */
    if (c->model.arena_size > 0)
        assert_int_equal(ml_model_run(&c->model, arena, c->model.arena_size - 1),
                         RT_ERR_NOMEM);
    free(arena);
}

/* FC 2 -> 2, scales in 0.5, w 0.5, out 1.0, zero points 0: m = 0.25 =
   0.5 * 2^-1 → (2^30, -1), so y = round(round(acc/2)/2), ties away from 0.
   x = [4, -6]; W = [[1, 2], [3, -1]]; bias = [2, -3] (scale 0.25):
   acc0 = 4 - 12 + 2 = -6 → -3 → -1.5 → -2;  acc1 = 12 + 6 - 3 = 15 → 7.5 →
   8 → 4.  Fused RELU clamps at Q(0) = 0: [0, 4].  A RESHAPE to [2] follows:
   it aliases and emits no op. */
static void fc_relu_reshape(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s12[2] = { 1, 2 }, s22[2] = { 2, 2 }, s2[1] = { 2 };
    int8_t w[4] = { 1, 2, 3, -1 };
    int32_t bias[2] = { 2, -3 };
    float ws = 0.5f, bs = 0.25f;
    int64_t z = 0;
    int x, wt, bt, y, r;
    ml_gopts o;
    ml_graph *g;
    ml_compiled *c;
    static const int8_t in[2] = { 4, -6 }, expect[2] = { 0, 4 };
    (void)state;
    x = act(b, "x", 2, s12, 0.5f, 0);
    wt = ml_tflite_add_tensor(b, "w", I8, 2, s22, 1, &ws, &z, 0, w, sizeof w);
    bt = ml_tflite_add_tensor(b, "b", I32, 1, s2, 1, &bs, &z, 0, bias, sizeof bias);
    y = act(b, "y", 2, s12, 1.0f, 0);
    r = act(b, "r", 1, s2, 1.0f, 0);
    ml_gopts_default(&o);
    o.activation = ML_ACT_RELU;
    {
        int32_t ins[3] = { x, wt, bt }, outs[1] = { y }, rin[1] = { y }, rout[1] = { r };
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, &o, 3, ins, 1, outs);
        ml_gopts_default(&o);
        o.n_new_shape = 1;
        o.new_shape[0] = 2;
        ml_tflite_add_op(b, ML_TFLITE_RESHAPE, 1, NULL, &o, 1, rin, 1, rout);
        ml_tflite_set_io(b, 1, &ins[0], 1, rout);
    }
    c = build(b, &g);
    /* the reader saw what the writer wrote */
    assert_int_equal(g->n_ops, 2);
    assert_int_equal(g->ops[0].code, ML_TFLITE_FULLY_CONNECTED);
    assert_int_equal(g->ops[0].version, 4);
    assert_int_equal(g->ops[0].opt.activation, ML_ACT_RELU);
    assert_int_equal(g->ops[1].opt.n_new_shape, 1);
    assert_string_equal(g->tensors[wt].name, "w");
    assert_int_equal(g->tensors[wt].data_size, 4);
    assert_memory_equal(g->tensors[bt].data, bias, sizeof bias);
    /* RESHAPE aliased: one op; x and y must not overlap, so 4 bytes each */
    assert_int_equal(c->model.n_ops, 1);
    assert_int_equal(c->model.ops[0].q.multiplier, 1 << 30);
    assert_int_equal(c->model.ops[0].q.shift, -1);
    assert_int_equal(c->model.arena_size, 8);
    assert_int_equal(c->macs, 4);
    run_expect(c, in, sizeof in, expect, sizeof expect);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

/* ADD with s1 = s2 = so = 1, zero points 0: twice_max = 2, m1 = m2 = 0.5 →
   (2^30, 0), mo = 2 / 2^20 → (2^30, -18).  a = x1 << 20 halves exactly
   (x1 * 2^19), the sum (x1 + x2) * 2^19 halves to (x1 + x2) * 2^18 and the
   shift by 18 is exact: y = x1 + x2, saturated to int8.
   [1, -5, 100, -100] + [2, 3, 100, -100] = [3, -2, 127, -128]. */
static void add_two_inputs(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s[2] = { 1, 4 };
    int a, c2, y;
    ml_graph *g;
    ml_compiled *c;
    static const int8_t in[8] = { 1, -5, 100, -100, 2, 3, 100, -100 };
    static const int8_t expect[4] = { 3, -2, 127, -128 };
    (void)state;
    a = act(b, "a", 2, s, 1.0f, 0);
    c2 = act(b, "b", 2, s, 1.0f, 0);
    y = act(b, "y", 2, s, 1.0f, 0);
    {
        int32_t ins[2] = { a, c2 }, outs[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_ADD, 1, NULL, NULL, 2, ins, 1, outs);
        ml_tflite_set_io(b, 2, ins, 1, outs);
    }
    c = build(b, &g);
    assert_int_equal(c->model.ops[0].u.add.output_shift, -18);
    assert_int_equal(c->model.ops[0].u.add.input1_multiplier, 1 << 30);
    run_expect(c, in, sizeof in, expect, sizeof expect);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

/* CONV_2D, per-channel: input 1x2x2x1 (scale 1, zp 1), filter 2x2x2x1 with
   scales [0.5, 0.25] on dimension 0, output 1x1x1x2 (scale 1, zp 0), VALID.
   m = [0.5, 0.25] → (2^30, 0), (2^30, -1).
   x = [3, 5, -1, 2], x - zp = [2, 4, -2, 1].
   ch0: w [1, 1, 1, 1], bias 0: acc 5 → round(5/2) = 3.
   ch1: w [2, 0, 0, -1], bias 3: acc 4 - 1 + 3 = 6 → 3 → round(3/2) = 2.
   Then AVERAGE_POOL 2x2 over the same input (same quantization): raw sum
   3+5-1+2 = 9, (9 + 2) / 4 = 2; MAX_POOL 2x2: 5.  The model has two outputs:
   the conv's and a CONCATENATION of the two pools ([2, 5]). */
static void conv_per_channel_and_pools(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t si[4] = { 1, 2, 2, 1 }, sw[4] = { 2, 2, 2, 1 }, sb[1] = { 2 };
    int32_t so[4] = { 1, 1, 1, 2 }, sp[4] = { 1, 1, 1, 1 };
    int8_t w[8] = { 1, 1, 1, 1, 2, 0, 0, -1 };
    int32_t bias[2] = { 0, 3 };
    float wsc[2] = { 0.5f, 0.25f };
    int64_t wz[2] = { 0, 0 };
    int x, wt, bt, y, pa, pm, cat;
    ml_gopts o;
    ml_graph *g;
    ml_compiled *c;
    uint8_t *arena;
    size_t sz;
    const int8_t *out;
    static const int8_t in[4] = { 3, 5, -1, 2 };
    (void)state;
    x = act(b, "x", 4, si, 1.0f, 1);
    wt = ml_tflite_add_tensor(b, "w", I8, 4, sw, 2, wsc, wz, 0, w, sizeof w);
    bt = ml_tflite_add_tensor(b, "b", I32, 1, sb, 0, NULL, NULL, 0, bias, sizeof bias);
    y = act(b, "y", 4, so, 1.0f, 0);
    pa = act(b, "avg", 4, sp, 1.0f, 1);
    pm = act(b, "max", 4, sp, 1.0f, 1);
    cat = act(b, "cat", 4, so, 1.0f, 1);
    ml_gopts_default(&o);
    o.padding = ML_PAD_VALID;
    {
        int32_t ins[3] = { x, wt, bt }, outs[1] = { y };
        int32_t pin[1] = { x }, pao[1] = { pa }, pmo[1] = { pm };
        int32_t cin[2] = { pa, pm }, cout[1] = { cat }, gout[2] = { y, cat };
        ml_tflite_add_op(b, ML_TFLITE_CONV_2D, 3, NULL, &o, 3, ins, 1, outs);
        o.filter_w = o.filter_h = 2;
        ml_tflite_add_op(b, ML_TFLITE_AVERAGE_POOL_2D, 2, NULL, &o, 1, pin, 1, pao);
        ml_tflite_add_op(b, ML_TFLITE_MAX_POOL_2D, 2, NULL, &o, 1, pin, 1, pmo);
        ml_gopts_default(&o);
        o.axis = 3;
        ml_tflite_add_op(b, ML_TFLITE_CONCATENATION, 1, NULL, &o, 2, cin, 1, cout);
        ml_tflite_set_io(b, 1, pin, 2, gout);
    }
    c = build(b, &g);
    assert_int_equal(c->model.n_ops, 4);
    assert_int_equal(c->model.n_outputs, 2);
    arena = calloc(c->model.arena_size + 4u, 1);
    assert_non_null(arena);
    memcpy(ml_model_input(&c->model, arena, c->model.arena_size, 0, &sz), in, sizeof in);
    assert_int_equal(sz, 4);
    assert_int_equal(ml_model_run(&c->model, arena, c->model.arena_size), RT_OK);
    out = ml_model_output(&c->model, arena, c->model.arena_size, 0, &sz);
    assert_int_equal(sz, 2);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 2);
    out = ml_model_output(&c->model, arena, c->model.arena_size, 1, &sz);
    assert_int_equal(sz, 2);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 5);
    free(arena);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

/* Float edges: float32 x -> QUANTIZE (scale 0.5, zero point -1) -> int8 q ->
   DEQUANTIZE -> float32 y; outputs q and y.  TFLM AffineQuantize:
   q = clamp(round(x / 0.5) - 1), half away from zero; Dequantize:
   y = (q + 1) * 0.5.
   x = [1.0, -0.75, 100.0, 0.26] -> x/0.5 = [2, -1.5, 200, 0.52]
   -> q = [1, -3, 127 (199 clamped), 0] -> y = [1.0, -1.0, 64.0, 0.5]. */
static void float_edges(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s[2] = { 1, 4 };
    int x, q, y;
    ml_graph *g;
    ml_compiled *c;
    uint8_t *arena;
    size_t sz;
    const int8_t *out;
    float yv[4];
    static const float in[4] = { 1.0f, -0.75f, 100.0f, 0.26f };
    static const int8_t expect_q[4] = { 1, -3, 127, 0 };
    static const float expect_y[4] = { 1.0f, -1.0f, 64.0f, 0.5f };
    (void)state;
    x = ml_tflite_add_tensor(b, "x", ML_TFLITE_FLOAT32, 2, s, 0, NULL, NULL, 0, NULL, 0);
    q = act(b, "q", 2, s, 0.5f, -1);
    y = ml_tflite_add_tensor(b, "y", ML_TFLITE_FLOAT32, 2, s, 0, NULL, NULL, 0, NULL, 0);
    {
        int32_t i1[1] = { x }, o1[1] = { q }, o2[1] = { y }, outs[2] = { q, y };
        ml_tflite_add_op(b, ML_TFLITE_QUANTIZE, 1, NULL, NULL, 1, i1, 1, o1);
        ml_tflite_add_op(b, ML_TFLITE_DEQUANTIZE, 1, NULL, NULL, 1, o1, 1, o2);
        ml_tflite_set_io(b, 1, i1, 2, outs);
    }
    c = build(b, &g);
    assert_true(c->model.outputs[1].scale == 0.0f);     /* float output */
    arena = calloc(c->model.arena_size, 1);
    assert_non_null(arena);
    memcpy(ml_model_input(&c->model, arena, c->model.arena_size, 0, &sz), in, sizeof in);
    assert_int_equal(sz, sizeof in);
    assert_int_equal(ml_model_run(&c->model, arena, c->model.arena_size), RT_OK);
    out = ml_model_output(&c->model, arena, c->model.arena_size, 0, &sz);
    assert_int_equal(sz, 4);
    assert_memory_equal(out, expect_q, 4);
    out = ml_model_output(&c->model, arena, c->model.arena_size, 1, &sz);
    assert_int_equal(sz, sizeof yv);
    memcpy(yv, out, sizeof yv);
    assert_memory_equal(yv, expect_y, sizeof yv);
    free(arena);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

/* Standalone RELU6 is a clamp to [zp, zp + round(6 / scale)] = [0, 60] for
   scale 0.1, zero point 0 (TFLM Relu6Quantized); the clamp kernel works in
   place, so the output takes over the input's bytes: the arena is 8 bytes,
   not 16.  [-5, 0, 30, 61, 127, -128, 60, 59] -> [0, 0, 30, 60, 60, 0, 60, 59]. */
static void relu6_in_place(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s8[2] = { 1, 8 };
    int x, y;
    ml_graph *g;
    ml_compiled *c;
    static const int8_t in[8] = { -5, 0, 30, 61, 127, -128, 60, 59 };
    static const int8_t expect[8] = { 0, 0, 30, 60, 60, 0, 60, 59 };
    (void)state;
    x = act(b, "x", 2, s8, 0.1f, 0);
    y = act(b, "y", 2, s8, 0.1f, 0);
    {
        int32_t i1[1] = { x }, o1[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_RELU6, 1, NULL, NULL, 1, i1, 1, o1);
        ml_tflite_set_io(b, 1, i1, 1, o1);
    }
    c = build(b, &g);
    assert_int_equal(c->model.arena_size, 8);
    assert_int_equal(c->tflm_like_arena, 8);
    run_expect(c, in, sizeof in, expect, sizeof expect);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

/* Two tensors naming the same .tflite buffer are stored once in the const
   blob.  A model with two FCs whose [4,4] weights are different buffers is
   patched so the second weight tensor's `buffer` field (Tensor field 2,
   found through the vtable at the offset the reader reports) names the
   first's buffer: the blob shrinks by exactly those 16 bytes and both model
   tensors point at the same offset. */
static void shared_buffers_stored_once(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s14[2] = { 1, 4 }, s44[2] = { 4, 4 };
    int8_t w1[16], w2[16];
    float ws = 0.5f;
    int64_t z = 0;
    int x, a, h, bw, y, k;
    uint8_t *buf;
    size_t len, t1, t2, vt, off;
    uint32_t b1;
    int32_t so;
    ml_import_error err;
    ml_graph *g;
    ml_compiled *c1, *c2;
    (void)state;
    for (k = 0; k < 16; k++) {
        w1[k] = (int8_t)(k - 8);
        w2[k] = (int8_t)(8 - k);
    }
    x = act(b, "x", 2, s14, 0.5f, 0);
    a = ml_tflite_add_tensor(b, "w1", I8, 2, s44, 1, &ws, &z, 0, w1, 16);
    h = act(b, "h", 2, s14, 1.0f, 0);
    bw = ml_tflite_add_tensor(b, "w2", I8, 2, s44, 1, &ws, &z, 0, w2, 16);
    y = act(b, "y", 2, s14, 1.0f, 0);
    {
        int32_t i1[3] = { x, a, -1 }, o1[1] = { h }, i2[3] = { h, bw, -1 }, o2[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, NULL, 3, i1, 1, o1);
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, NULL, 3, i2, 1, o2);
        ml_tflite_set_io(b, 1, i1, 1, o2);
    }
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    g = ml_graph_read(buf, len, &err);
    assert_non_null(g);
    c1 = ml_graph_compile(g, &err);
    assert_non_null(c1);
    t1 = (size_t)g->tensors[a].offset;
    t2 = (size_t)g->tensors[bw].offset;
    ml_graph_free(g);
    /* Tensor field 2 (buffer, u32) of each weight tensor */
    memcpy(&so, buf + t1, 4);
    vt = (size_t)((long)t1 - so);
    off = (size_t)(buf[vt + 4 + 2 * 2] | buf[vt + 5 + 2 * 2] << 8);
    memcpy(&b1, buf + t1 + off, 4);
    memcpy(&so, buf + t2, 4);
    vt = (size_t)((long)t2 - so);
    off = (size_t)(buf[vt + 4 + 2 * 2] | buf[vt + 5 + 2 * 2] << 8);
    memcpy(buf + t2 + off, &b1, 4);
    g = ml_graph_read(buf, len, &err);
    assert_non_null(g);
    assert_ptr_equal(g->tensors[a].data, g->tensors[bw].data);
    c2 = ml_graph_compile(g, &err);
    assert_non_null(c2);
    assert_int_equal(c1->weight_bytes - c2->weight_bytes, 16);
    assert_int_equal(c2->model.tensors[c2->tensor_of[a]].offset,
                     c2->model.tensors[c2->tensor_of[bw]].offset);
    ml_compiled_free(c1);
    ml_compiled_free(c2);
    ml_graph_free(g);
    free(buf);
    ml_tflite_builder_free(b);
}

/* ------------------------------------------------------------ planner */

/* Three buffers of a chain a → b → c: a and c never live together, so
   the arena is max(a + b, b + c).  Sizes 100, 40, 100: 140. */
static void planner_reuses_dead_buffers(void **state)
{
    ml_plan_buf bufs[3] = { { 100, 0, 1, 0 }, { 40, 1, 2, 0 }, { 100, 2, 3, 0 } };
    size_t greedy = 0;
    (void)state;
    assert_int_equal(ml_plan_arena(bufs, 3, 4, &greedy), 140);
    assert_true(greedy >= 140);
    assert_true(bufs[0].offset + 100 <= bufs[1].offset || bufs[1].offset + 40 <= bufs[0].offset);
    assert_true(bufs[2].offset + 100 <= bufs[1].offset || bufs[1].offset + 40 <= bufs[2].offset);
}

/* ------------------------------------------------------------ rejections */

/* A one-op model (op code, tensor types chosen by the caller), serialised. */
static uint8_t *one_op_model(int code, const char *custom, int type, int n_sub, size_t *len)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s[2] = { 1, 4 };
    float sc = 0.5f;
    int64_t z = 0;
    int x, y;
    uint8_t *buf;
    x = ml_tflite_add_tensor(b, "x", type, 2, s, type == I8 ? 1 : 0, &sc, &z, 0, NULL, 0);
    y = ml_tflite_add_tensor(b, "y", type, 2, s, type == I8 ? 1 : 0, &sc, &z, 0, NULL, 0);
    {
        int32_t ins[1] = { x }, outs[1] = { y };
        ml_tflite_add_op(b, code, 1, custom, NULL, 1, ins, 1, outs);
        ml_tflite_set_io(b, 1, ins, 1, outs);
    }
    assert_true(ml_tflite_write(b, n_sub, &buf, len));
    ml_tflite_builder_free(b);
    return buf;
}

static void expect_read_error(const uint8_t *buf, size_t len, const char *msg, long off)
{
    ml_import_error err;
    ml_graph *g = ml_graph_read(buf, len, &err);
    assert_null(g);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.offset, off);
}

static void expect_compile_error(const uint8_t *buf, size_t len, const char *msg)
{
    ml_import_error err;
    ml_graph *g = ml_graph_read(buf, len, &err);
    ml_compiled *c;
    if (g == NULL)
        fail_msg("read: %s", err.msg);
    c = ml_graph_compile(g, &err);
    assert_null(c);
    assert_string_equal(err.msg, msg);
    ml_graph_free(g);
}

static void rejects_broken_files(void **state)
{
    size_t len;
    uint8_t *buf = one_op_model(ML_TFLITE_TANH, NULL, I8, 1, &len);
    uint8_t *bad = malloc(len);
    char msg[200];
    (void)state;
    assert_non_null(bad);
    expect_read_error(buf, 7, "truncated file: 7 bytes is too short for a .tflite "
                      "header (8 bytes)", 0);
    memcpy(bad, buf, len);
    bad[4] = 'X';
    expect_read_error(bad, len, "not a .tflite file: identifier at byte 4 is not \"TFL3\"", 4);
    /* root offset far past the end */
    memcpy(bad, buf, len);
    bad[0] = 0x00; bad[1] = 0xFF; bad[2] = 0xFF; bad[3] = 0x00;
    expect_read_error(bad, len, "corrupt file: Model table at byte 16776960 is past the "
                      "end of the file", 0);
    /* misaligned root */
    memcpy(bad, buf, len);
    bad[0] = (uint8_t)(bad[0] + 1);
    snprintf(msg, sizeof msg, "corrupt file: Model table at byte %u is misaligned",
             (unsigned)bad[0]);
    expect_read_error(bad, len, msg, 0);
    /* truncation anywhere must give an error, never a crash (ASan checks the
       "never a crash" half under make sanitize) */
    {
        size_t cut;
        for (cut = 8; cut < len; cut++) {
            ml_import_error err;
            ml_graph *g = ml_graph_read(buf, cut, &err);
            if (g != NULL) {
                /* only possible if the cut removed nothing the reader needs */
                ml_graph_free(g);
                continue;
            }
            assert_true(strstr(err.msg, "truncated") != NULL ||
                        strstr(err.msg, "corrupt") != NULL);
            assert_true(err.offset >= 0 && (size_t)err.offset < len);
        }
    }
    free(buf);
    free(bad);
}

static void rejects_unsupported_models(void **state)
{
    size_t len;
    uint8_t *buf;
    (void)state;
    buf = one_op_model(ML_TFLITE_SVDF, NULL, I8, 1, &len);
    expect_compile_error(buf, len, "operator 0 (SVDF): operator SVDF (version 1) is not "
                         "supported");
    free(buf);
    buf = one_op_model(ML_TFLITE_CUSTOM, "SignalRfft", I8, 1, &len);
    expect_compile_error(buf, len, "operator 0 (CUSTOM(SignalRfft)): custom operator "
                         "'SignalRfft' (version 1) is not supported");
    free(buf);
    buf = one_op_model(ML_TFLITE_TANH, NULL, ML_TFLITE_FLOAT32, 1, &len);
    expect_compile_error(buf, len, "operator 0 (TANH): tensor 0 ('x') has type FLOAT32 "
                         "(a float32 model; only int8-quantized models are supported)");
    free(buf);
    buf = one_op_model(ML_TFLITE_TANH, NULL, ML_TFLITE_INT16, 1, &len);
    expect_compile_error(buf, len, "tensor 0 ('x') has type INT16 (int16 activations are "
                         "not supported; only int8)");
    free(buf);
    buf = one_op_model(ML_TFLITE_TANH, NULL, I8, 2, &len);
    {
        ml_import_error err;
        assert_null(ml_graph_read(buf, len, &err));
        assert_string_equal(err.msg, "unsupported: the model has 2 subgraphs (only "
                            "single-subgraph models are supported; control flow is not)");
    }
    free(buf);
}

/* Conv weights quantized per channel along dimension 3 instead of 0, and a
   tensor without quantization. */
static void rejects_bad_quantization(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t si[4] = { 1, 2, 2, 1 }, sw[4] = { 2, 1, 1, 1 }, so[4] = { 1, 2, 2, 2 };
    int8_t w[2] = { 1, 1 };
    float wsc[2] = { 0.5f, 0.25f };
    int64_t wz[2] = { 0, 0 };
    int x, wt, y, q;
    uint8_t *buf;
    size_t len;
    ml_gopts o;
    (void)state;
    x = act(b, "x", 4, si, 1.0f, 0);
    wt = ml_tflite_add_tensor(b, "w", I8, 4, sw, 2, wsc, wz, 3, w, sizeof w);
    y = act(b, "y", 4, so, 1.0f, 0);
    ml_gopts_default(&o);
    {
        int32_t ins[3] = { x, wt, -1 }, outs[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_CONV_2D, 3, NULL, &o, 3, ins, 1, outs);
        ml_tflite_set_io(b, 1, ins, 1, outs);
    }
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    expect_compile_error(buf, len, "operator 0 (CONV_2D): weight tensor 1 ('w') is "
                         "quantized per channel along dimension 3; expected dimension 0");
    free(buf);
    ml_tflite_builder_free(b);

    b = ml_tflite_builder_new();
    x = act(b, "x", 4, si, 1.0f, 0);
    q = ml_tflite_add_tensor(b, "noq", I8, 4, si, 0, NULL, NULL, 0, NULL, 0);
    {
        int32_t ins[1] = { x }, outs[1] = { q };
        ml_tflite_add_op(b, ML_TFLITE_RELU, 1, NULL, NULL, 1, ins, 1, outs);
        ml_tflite_set_io(b, 1, ins, 1, outs);
    }
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    expect_compile_error(buf, len, "operator 0 (RELU): tensor 1 ('noq') has no "
                         "quantization parameters");
    free(buf);
    ml_tflite_builder_free(b);
}

/* Every single-byte corruption of a small model is read, or rejected with
   a message that says what kind of problem it is; never a crash (ASan under
   make sanitize).  Deterministic: bytes set to 0xFF and to 0x00 in turn. */
static void every_byte_corruption_is_handled(void **state)
{
    size_t len, i;
    uint8_t *buf = one_op_model(ML_TFLITE_TANH, NULL, I8, 1, &len);
    uint8_t *bad = malloc(len);
    int v;
    (void)state;
    assert_non_null(bad);
    for (v = 0; v < 2; v++)
        for (i = 0; i < len; i++) {
            ml_import_error err;
            ml_graph *g;
            memcpy(bad, buf, len);
            bad[i] = v ? 0x00 : 0xFF;
            g = ml_graph_read(bad, len, &err);
            if (g != NULL) {
                ml_compiled *c = ml_graph_compile(g, &err);
                assert_true(c != NULL || err.msg[0] != '\0');
                ml_compiled_free(c);
                ml_graph_free(g);
                continue;
            }
            assert_true(strncmp(err.msg, "corrupt", 7) == 0 ||
                        strncmp(err.msg, "truncated", 9) == 0 ||
                        strncmp(err.msg, "unsupported", 11) == 0 ||
                        strncmp(err.msg, "not a .tflite", 13) == 0);
            assert_true(err.offset >= 0 && (size_t)err.offset <= len);
        }
    free(buf);
    free(bad);
}

/* An operator whose BuiltinOptions union type belongs to another operator:
   the FC's options type byte is patched to 27 (ReducerOptions, whose one
   1-byte field reads cleanly from the FC options table, so the reader
   accepts the file and the compiler must catch the mismatch).  The byte is
   found by walking the Operator table the reader reported (its offset). */
static void rejects_mismatched_options_type(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s12[2] = { 1, 2 }, s22[2] = { 2, 2 };
    int8_t w[4] = { 1, 2, 3, 4 };
    float ws = 0.5f;
    int64_t z = 0;
    int x, wt, y;
    uint8_t *buf;
    size_t len, t, vt, off;
    ml_import_error err;
    ml_graph *g;
    int32_t so;
    (void)state;
    x = act(b, "x", 2, s12, 0.5f, 0);
    wt = ml_tflite_add_tensor(b, "w", I8, 2, s22, 1, &ws, &z, 0, w, sizeof w);
    y = act(b, "y", 2, s12, 1.0f, 0);
    {
        int32_t ins[3] = { x, wt, -1 }, outs[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_FULLY_CONNECTED, 4, NULL, NULL, 3, ins, 1, outs);
        ml_tflite_set_io(b, 1, ins, 1, outs);
    }
    assert_true(ml_tflite_write(b, 1, &buf, &len));
    g = ml_graph_read(buf, len, &err);
    assert_non_null(g);
    assert_int_equal(g->ops[0].options_type, 8);
    t = (size_t)g->ops[0].offset;
    ml_graph_free(g);
    memcpy(&so, buf + t, 4);                    /* little-endian host */
    vt = (size_t)((long)t - so);
    off = (size_t)(buf[vt + 4 + 2 * 3] | buf[vt + 5 + 2 * 3] << 8);
    assert_true(off != 0);
    assert_int_equal(buf[t + off], 8);
    buf[t + off] = 27;
    expect_compile_error(buf, len, "operator 0 (FULLY_CONNECTED): builtin options of "
                         "type 27 do not belong to this operator (expected type 8)");
    free(buf);
    ml_tflite_builder_free(b);
}

/* The executor re-checks the tables (they may come in an image): a tensor
   moved past the arena, a size that disagrees with the shape, an op kind
   out of range, an input index out of range all give RT_ERR_FORMAT, and
   none of them touches memory outside the arena (ASan under sanitize). */
static void executor_rejects_bad_tables(void **state)
{
    ml_tflite_builder *b = ml_tflite_builder_new();
    int32_t s[2] = { 1, 4 };
    int a, c2, y, k;
    ml_graph *g;
    ml_compiled *c;
    ml_model m;
    ml_model_tensor *t;
    ml_model_op *op;
    uint16_t *oi;
    uint8_t *arena;
    (void)state;
    a = act(b, "a", 2, s, 1.0f, 0);
    c2 = act(b, "b", 2, s, 1.0f, 0);
    y = act(b, "y", 2, s, 1.0f, 0);
    {
        int32_t ins[2] = { a, c2 }, outs[1] = { y };
        ml_tflite_add_op(b, ML_TFLITE_ADD, 1, NULL, NULL, 2, ins, 1, outs);
        ml_tflite_set_io(b, 2, ins, 1, outs);
    }
    c = build(b, &g);
    arena = calloc(c->model.arena_size, 1);
    assert_non_null(arena);
    t = malloc(c->model.n_tensors * sizeof *t);
    op = malloc(c->model.n_ops * sizeof *op);
    oi = malloc(c->model.n_op_inputs * sizeof *oi);
    assert_true(t && op && oi);
    for (k = 0; k < 5; k++) {
        memcpy(t, c->model.tensors, c->model.n_tensors * sizeof *t);
        memcpy(op, c->model.ops, c->model.n_ops * sizeof *op);
        memcpy(oi, c->model.op_inputs, c->model.n_op_inputs * sizeof *oi);
        m = c->model;
        m.tensors = t;
        m.ops = op;
        m.op_inputs = oi;
        switch (k) {
        case 0: break;                                          /* control */
        case 1: t[op[0].output].offset = c->model.arena_size; break;
        case 2: t[oi[0]].size = 5; break;
        case 3: op[0].kind = ML_MODEL_OP_COUNT_; break;
        default: oi[1] = (uint16_t)c->model.n_tensors; break;
        }
        assert_int_equal(ml_model_run(&m, arena, c->model.arena_size),
                         k == 0 ? RT_OK : RT_ERR_FORMAT);
    }
    free(t);
    free(op);
    free(oi);
    free(arena);
    ml_compiled_free(c);
    ml_graph_free(g);
    ml_tflite_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fc_relu_reshape),
        cmocka_unit_test(add_two_inputs),
        cmocka_unit_test(conv_per_channel_and_pools),
        cmocka_unit_test(float_edges),
        cmocka_unit_test(relu6_in_place),
        cmocka_unit_test(shared_buffers_stored_once),
        cmocka_unit_test(planner_reuses_dead_buffers),
        cmocka_unit_test(rejects_broken_files),
        cmocka_unit_test(rejects_unsupported_models),
        cmocka_unit_test(rejects_bad_quantization),
        cmocka_unit_test(every_byte_corruption_is_handled),
        cmocka_unit_test(rejects_mismatched_options_type),
        cmocka_unit_test(executor_rejects_bad_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
