/*
** compile.c — imported .tflite graph → compiled ml_model (host side).
**
** For each operator, in order: check that the int8 kernels of ml/ml.h
** support it exactly as TFLM would run it (types, quantization, shapes,
** options), compute its parameters exactly as TFLM's Prepare step computes
** them (int8-spec.md §2; the formulas and their TFLM sources are repeated
** at each parameter struct in ml/ml.h), and append an ml_model_op.  Then
** tensor lifetimes are derived from the operator order and the arena is
** planned (plan.c).
**
** Aliasing: RESHAPE, SQUEEZE and EXPAND_DIMS change no bytes, so their
** output shares the input's arena buffer (or const data) and no op is
** emitted.  A buffer's lifetime is the union of its tensors' lifetimes.
**
** Floating point here runs on the host only and follows TFLM's order of
** operations and precision (float vs double) step by step, because the
** multipliers it produces decide the last bit of every output.
*/
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ml/import/import.h"

/* Growable array helper. */
#define VEC_PUSH(ctx, arr, n, cap, val)                                        \
    do {                                                                       \
        if ((n) == (cap)) {                                                    \
            size_t nc_ = (cap) ? (size_t)(cap) * 2 : 16;                       \
            void *np_ = realloc((arr), nc_ * sizeof *(arr));                   \
            if (np_ == NULL) { (ctx)->oom = true; break; }                     \
            (arr) = np_;                                                       \
            (cap) = nc_;                                                       \
        }                                                                      \
        (arr)[(n)++] = (val);                                                  \
    } while (0)

typedef struct ctx {
    const ml_graph *g;
    ml_import_error *err;
    bool failed, oom;
    bool dry;                   /* checking one op alone: inputs may be unknown */
    int op_index;               /* graph operator being compiled */
    /* model tables under construction */
    ml_model_op *ops;
    size_t n_ops, cap_ops;
    ml_model_tensor *tensors;
    size_t n_tensors, cap_tensors;
    int32_t *buf_of;            /* per model tensor: planner buffer, -1 const */
    size_t n_buf_of, cap_buf_of;
    uint16_t *op_inputs;
    size_t n_op_inputs, cap_op_inputs;
    uint8_t *consts;
    size_t n_consts, cap_consts;
    int32_t *tensor_of;         /* graph tensor → model tensor, -1 */
    /* constant data already in the blob, by source address (open
       addressing, 2 x n_tensors slots): tensors sharing a .tflite buffer
       share bytes in the blob too */
    const uint8_t **dd_src;
    size_t *dd_size;
    uint32_t *dd_off;
    size_t dd_cap;
    long macs;
} ctx;

static void fail(ctx *c, long off, const char *fmt, ...)
{
    va_list ap;
    char name[96];
    int n;
    if (c->failed)
        return;
    c->failed = true;
    n = 0;
    if (c->op_index >= 0)
        n = snprintf(c->err->msg, sizeof c->err->msg, "operator %d (%s): ",
                     c->op_index, ml_gop_name(&c->g->ops[c->op_index], name, sizeof name));
    va_start(ap, fmt);
    vsnprintf(c->err->msg + n, sizeof c->err->msg - (size_t)n, fmt, ap);
    va_end(ap);
    c->err->offset = off;
}

/* ------------------------------------------------ TFLM's host arithmetic */

/* TFLM QuantizeMultiplier (quantization_util.cc), double-rounding build. */
static bool quantize_multiplier(double m, int32_t *mult, int32_t *shift)
{
    int e;
    double q;
    int64_t qf;
    if (m == 0.0) {
        *mult = 0;
        *shift = 0;
        return true;
    }
    if (!(m > 0.0) || !isfinite(m))
        return false;
    q = frexp(m, &e);
    qf = (int64_t)round(q * 2147483648.0);
    if (qf == ((int64_t)1 << 31)) {
        qf /= 2;
        e++;
    }
    if (e < -31) {
        e = 0;
        qf = 0;
    }
    if (e > 30)
        return false;           /* MBQM would overflow; TFLM fails too */
    *mult = (int32_t)qf;
    *shift = e;
    return true;
}

/* TFLM's Quantize for activation ranges: zp + (int32)round(f / scale),
   all in float (kernel_util.cc CalculateActivationRangeQuantizedImpl). */
static int32_t quantize_f(float f, float scale, int32_t zp)
{
    float q = roundf(f / scale);
    /* tiny scales overflow int32 (undefined in TFLM's cast); any value this
       far outside int8 gives the same clamp, so saturate it first */
    if (!(q < 1e6f))
        q = 1e6f;
    if (!(q > -1e6f))
        q = -1e6f;
    return zp + (int32_t)q;
}

static ml_activation act_range(int act, float scale, int32_t zp)
{
    ml_activation a = { -128, 127 };
    int32_t lo, hi;
    switch (act) {
    case ML_ACT_RELU:
        lo = quantize_f(0.0f, scale, zp);
        a.min = lo > -128 ? lo : -128;
        break;
    case ML_ACT_RELU6:
        lo = quantize_f(0.0f, scale, zp);
        hi = quantize_f(6.0f, scale, zp);
        a.min = lo > -128 ? lo : -128;
        a.max = hi < 127 ? hi : 127;
        break;
    case ML_ACT_RELU_N1_TO_1:
        lo = quantize_f(-1.0f, scale, zp);
        hi = quantize_f(1.0f, scale, zp);
        a.min = lo > -128 ? lo : -128;
        a.max = hi < 127 ? hi : 127;
        break;
    default:
        break;
    }
    return a;
}

/* TFLM ComputePaddingHeightWidth for one dimension; returns the output size
   and the leading padding.  In 64 bits: a hostile file can make the
   effective filter size overflow int32.  -1 when the result is not a valid
   int32 size (the caller then reports a shape mismatch). */
static int32_t out_size(int padding, int32_t in, int32_t k, int32_t stride,
                        int32_t dil, int32_t *pad)
{
    int64_t eff = ((int64_t)k - 1) * dil + 1, out, total;
    *pad = 0;
    /* far beyond any real model; keeps every kernel index product small */
    if (stride < 1 || dil < 1 || k < 1 || in < 0 || stride > 65536 || eff > 65536)
        return -1;
    if (padding == ML_PAD_SAME)
        out = ((int64_t)in + stride - 1) / stride;
    else
        out = ((int64_t)in + stride - eff) / stride;
    total = (out - 1) * stride + eff - in;
    if (out < 0 || out > INT32_MAX || total / 2 > INT32_MAX)
        return -1;
    *pad = total > 0 ? (int32_t)(total / 2) : 0;
    return (int32_t)out;
}

/* Adds to the MAC count, saturating (a hostile file may describe more). */
static void add_macs(long *macs, long n)
{
    *macs = n > LONG_MAX - *macs ? LONG_MAX : *macs + n;
}

/* ------------------------------------------------ model tensors */

static const ml_gtensor *gt(ctx *c, int32_t i)
{
    return &c->g->tensors[i];
}

static size_t type_size(int type)
{
    return type == ML_TFLITE_INT8 ? 1 : 4;     /* INT32, FLOAT32 */
}

/* Appends bytes to the const blob, 4-aligned; returns the offset. */
static uint32_t put_const(ctx *c, const void *data, size_t n)
{
    size_t at = (c->n_consts + 3) & ~(size_t)3, need = at + ((n + 3) & ~(size_t)3);
    if (need > UINT32_MAX) {
        fail(c, -1, "constant data exceeds 4 GB");
        return 0;
    }
    if (need > c->cap_consts) {
        size_t cap = c->cap_consts ? c->cap_consts : 1024;
        uint8_t *p;
        while (cap < need)
            cap *= 2;
        p = realloc(c->consts, cap);
        if (p == NULL) {
            c->oom = true;
            return 0;
        }
        c->consts = p;
        c->cap_consts = cap;
    }
    if (need > c->n_consts)
        memset(c->consts + c->n_consts, 0, need - c->n_consts);
    if (n > 0)
        memcpy(c->consts + at, data, n);
    c->n_consts = need;
    return (uint32_t)at;
}

/* put_const() for tensor data, storing each (address, size) once. */
static uint32_t const_dedup(ctx *c, const uint8_t *src, size_t n)
{
    size_t h;
    if (c->dd_cap == 0)
        return put_const(c, src, n);
    h = ((uintptr_t)src / 4u * 2654435761u) % c->dd_cap;
    while (c->dd_src[h] != NULL) {
        if (c->dd_src[h] == src && c->dd_size[h] == n)
            return c->dd_off[h];
        h = (h + 1) % c->dd_cap;
    }
    c->dd_src[h] = src;
    c->dd_size[h] = n;
    c->dd_off[h] = put_const(c, src, n);
    return c->dd_off[h];
}

/* The model tensor for graph tensor i (made on first use).  The type must be
   INT8 (activations, weights) or INT32 (biases); shape as in the graph. */
static int32_t mtensor(ctx *c, int32_t i)
{
    const ml_gtensor *t;
    ml_model_tensor mt;
    long n;
    int d;
    if (c->tensor_of[i] >= 0)
        return c->tensor_of[i];
    t = gt(c, i);
    memset(&mt, 0, sizeof mt);
    n = ml_gtensor_elems(t);
    if (t->type != ML_TFLITE_INT8 && t->type != ML_TFLITE_INT32 &&
        !(t->type == ML_TFLITE_FLOAT32 && t->data == NULL)) {
        fail(c, t->offset, "tensor %d ('%s') has type %s; only int8 activations and "
             "weights, int32 biases and float32 model inputs/outputs are supported",
             i, t->name, ml_tflite_type_name(t->type));
        return -1;
    }
    if (c->n_tensors >= ML_MODEL_NO_TENSOR) {
        fail(c, t->offset, "more than %d tensors", ML_MODEL_NO_TENSOR - 1);
        return -1;
    }
    if (n < 0 || (size_t)n > (size_t)INT32_MAX / type_size(t->type)) {
        fail(c, t->offset, "tensor %d ('%s') is larger than 2 GB", i, t->name);
        return -1;
    }
    mt.type = t->type == ML_TFLITE_INT32 ? ML_MODEL_INT32
            : t->type == ML_TFLITE_FLOAT32 ? ML_MODEL_FLOAT32 : ML_MODEL_INT8;
    mt.size = (uint32_t)((size_t)n * type_size(t->type));
    mt.shape.rank = t->rank;
    for (d = 0; d < t->rank; d++)
        mt.shape.dims[d] = t->shape[d];
    if (t->data != NULL) {
        if (t->data_size != (size_t)mt.size) {
            fail(c, t->offset, "tensor %d ('%s') holds %zu bytes of data but its "
                 "shape needs %u", i, t->name, t->data_size, mt.size);
            return -1;
        }
        mt.is_const = 1;
        mt.offset = const_dedup(c, t->data, t->data_size);
    }
    VEC_PUSH(c, c->tensors, c->n_tensors, c->cap_tensors, mt);
    VEC_PUSH(c, c->buf_of, c->n_buf_of, c->cap_buf_of, t->data ? -1 : (int32_t)i);
    if (c->oom)
        return -1;
    c->tensor_of[i] = (int32_t)c->n_tensors - 1;
    return c->tensor_of[i];
}

/* Per-tensor quantization of an activation tensor: scale and zero point. */
static bool act_quant(ctx *c, int32_t i, float *scale, int32_t *zp)
{
    const ml_gtensor *t = gt(c, i);
    if (t->type != ML_TFLITE_INT8) {
        const char *what = t->type == ML_TFLITE_FLOAT32 ? " (a float32 model; only "
                           "int8-quantized models are supported)"
                         : t->type == ML_TFLITE_INT16 ? " (int16 activations are not "
                           "supported; only int8)" : "";
        fail(c, t->offset, "tensor %d ('%s') has type %s%s", i, t->name,
             ml_tflite_type_name(t->type), what);
        return false;
    }
    if (!t->has_quant) {
        fail(c, t->offset, "tensor %d ('%s') has no quantization parameters", i, t->name);
        return false;
    }
    if (t->n_quant != 1) {
        fail(c, t->offset, "activation tensor %d ('%s') has %d scales; only per-tensor "
             "quantization is supported for activations", i, t->name, t->n_quant);
        return false;
    }
    if (!(t->scale[0] > 0.0f) || !isfinite(t->scale[0]) ||
        t->zero_point[0] < -128 || t->zero_point[0] > 127) {
        fail(c, t->offset, "tensor %d ('%s') has invalid quantization (scale %g, zero "
             "point %lld)", i, t->name, (double)t->scale[0], (long long)t->zero_point[0]);
        return false;
    }
    *scale = t->scale[0];
    *zp = (int32_t)t->zero_point[0];
    return true;
}

/* Checks a weight tensor: constant int8, quantized with zero point 0, and
   n_ch scales (or 1) along quant_dim. */
static bool weight_quant(ctx *c, int32_t i, int quant_dim, int32_t n_ch)
{
    const ml_gtensor *t = gt(c, i);
    int k;
    if (t->type != ML_TFLITE_INT8) {
        fail(c, t->offset, "weight tensor %d ('%s') has type %s; only int8 weights are "
             "supported", i, t->name, ml_tflite_type_name(t->type));
        return false;
    }
    if (t->data == NULL) {
        fail(c, t->offset, "weight tensor %d ('%s') is not constant", i, t->name);
        return false;
    }
    if (!t->has_quant) {
        fail(c, t->offset, "weight tensor %d ('%s') has no quantization parameters",
             i, t->name);
        return false;
    }
    if (t->n_quant != 1 && t->n_quant != n_ch) {
        fail(c, t->offset, "weight tensor %d ('%s') has %d scales but %d output "
             "channels", i, t->name, t->n_quant, (int)n_ch);
        return false;
    }
    if (t->n_quant > 1 && t->quant_dim != quant_dim) {
        fail(c, t->offset, "weight tensor %d ('%s') is quantized per channel along "
             "dimension %d; expected dimension %d", i, t->name, t->quant_dim, quant_dim);
        return false;
    }
    for (k = 0; k < t->n_quant; k++)
        if (t->zero_point[k] != 0 || !(t->scale[k] > 0.0f) || !isfinite(t->scale[k])) {
            fail(c, t->offset, "weight tensor %d ('%s') channel %d has scale %g and zero "
                 "point %lld; int8 weights need a positive scale and zero point 0",
                 i, t->name, k, (double)t->scale[k], (long long)t->zero_point[k]);
            return false;
        }
    return true;
}

static bool bias_ok(ctx *c, int32_t i, int32_t n_ch)
{
    const ml_gtensor *t;
    if (i < 0)
        return true;
    t = gt(c, i);
    if (t->type != ML_TFLITE_INT32 || t->data == NULL || ml_gtensor_elems(t) != n_ch) {
        fail(c, t->offset, "bias tensor %d ('%s') must be constant int32 with %d "
             "elements (it is %s%s with %ld)", i, t->name, (int)n_ch,
             t->data ? "" : "non-constant ", ml_tflite_type_name(t->type),
             ml_gtensor_elems(t));
        return false;
    }
    return true;
}

/* Adds an op with the given graph input tensors (-1 = absent). */
static ml_model_op *add_op(ctx *c, int kind, int n_in, const int32_t *in, int32_t out)
{
    ml_model_op op;
    int k;
    int32_t mo;
    memset(&op, 0, sizeof op);
    op.kind = (uint8_t)kind;
    op.n_in = (uint8_t)n_in;
    op.in_first = (uint16_t)c->n_op_inputs;
    op.source_op = (uint16_t)c->op_index;
    if (c->n_op_inputs + (size_t)n_in >= 0xFFFF) {
        fail(c, -1, "too many operator inputs");
        return NULL;
    }
    for (k = 0; k < n_in; k++) {
        uint16_t v = ML_MODEL_NO_TENSOR;
        if (in[k] >= 0) {
            int32_t t;
            if (!c->dry && c->tensor_of[in[k]] < 0 && gt(c, in[k])->data == NULL) {
                fail(c, gt(c, in[k])->offset, "reads tensor %d ('%s') before any "
                     "operator writes it", (int)in[k], gt(c, in[k])->name);
                return NULL;
            }
            t = mtensor(c, in[k]);
            if (t < 0)
                return NULL;
            v = (uint16_t)t;
        }
        VEC_PUSH(c, c->op_inputs, c->n_op_inputs, c->cap_op_inputs, v);
    }
    mo = mtensor(c, out);
    if (mo < 0)
        return NULL;
    if (c->tensors[mo].is_const) {
        fail(c, gt(c, out)->offset, "output tensor %d is constant", (int)out);
        return NULL;
    }
    op.output = (uint16_t)mo;
    VEC_PUSH(c, c->ops, c->n_ops, c->cap_ops, op);
    if (c->oom || c->failed)
        return NULL;
    return &c->ops[c->n_ops - 1];
}

/* Per-channel multipliers: int32 mult[n] then shift[n] in the const blob. */
static bool put_per_channel(ctx *c, ml_model_op *op, float in_s, const ml_gtensor *w,
                            int32_t n, float out_s)
{
    int32_t *q = malloc((size_t)n * 2 * sizeof *q);
    int32_t k;
    if (q == NULL) {
        c->oom = true;
        return false;
    }
    for (k = 0; k < n; k++) {
        float fs = w->scale[w->n_quant == 1 ? 0 : k];
        double m = (double)in_s * (double)fs / (double)out_s;
        if (!quantize_multiplier(m, &q[k], &q[n + k])) {
            fail(c, w->offset, "channel %d: effective scale %g is out of range", (int)k, m);
            free(q);
            return false;
        }
    }
    op->aux_off = put_const(c, q, (size_t)n * 2 * sizeof *q);
    free(q);
    return !c->failed;
}

static bool rank_is(ctx *c, int32_t i, int rank, const char *what)
{
    if (i < 0) {
        fail(c, -1, "its %s input is absent", what);
        return false;
    }
    if (gt(c, i)->rank != rank) {
        fail(c, gt(c, i)->offset, "%s tensor %d has rank %d; expected %d", what, (int)i,
             gt(c, i)->rank, rank);
        return false;
    }
    return true;
}

static bool n_io(ctx *c, const ml_gop *o, int min_in, int max_in, int n_out)
{
    if (o->n_inputs < min_in || o->n_inputs > max_in || o->n_outputs != n_out) {
        fail(c, o->offset, "has %d inputs and %d outputs; expected %d..%d and %d",
             o->n_inputs, o->n_outputs, min_in, max_in, n_out);
        return false;
    }
    if (o->inputs[0] < 0) {
        fail(c, o->offset, "its first input is absent");
        return false;
    }
    return true;
}

static bool same_quant(ctx *c, int32_t a, int32_t b, const char *what)
{
    float sa, sb;
    int32_t za, zb;
    if (!act_quant(c, a, &sa, &za) || !act_quant(c, b, &sb, &zb))
        return false;
    if (fabsf(sa - sb) > 1e-6f || za != zb) {
        fail(c, gt(c, b)->offset, "%s needs input and output with the same scale and "
             "zero point (%g/%d vs %g/%d)", what, (double)sa, (int)za, (double)sb, (int)zb);
        return false;
    }
    return true;
}

/* ------------------------------------------------ operators */

/* The int32 accumulator of a dot product of `depth` terms must not
   overflow whatever the int8 data: depth * max|x - zp| * 128 <= INT32_MAX
   (ml.h FULLY_CONNECTED; weights are taken at their int8 extreme). */
static bool accum_fits(ctx *c, const ml_gop *o, long depth, int32_t izp)
{
    long maxx = 128 + (izp < 0 ? -(long)izp : (long)izp);
    if (depth <= 0 || depth > INT32_MAX / (maxx * 128)) {
        fail(c, o->offset, "accumulation depth %ld could overflow the int32 "
             "accumulator (limit %ld for input zero point %d)", depth,
             (long)(INT32_MAX / (maxx * 128)), (int)izp);
        return false;
    }
    return true;
}

static bool op_fc(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], w, b, out = o->outputs[0], n_ch, depth;
    float is, ws, os;
    int32_t izp, ozp;
    const ml_gtensor *wt;
    ml_model_op *op;
    long in_elems;
    if (!n_io(c, o, 2, 3, 1))
        return false;
    w = o->inputs[1];
    b = o->n_inputs > 2 ? o->inputs[2] : -1;
    if (!rank_is(c, w, 2, "weight"))
        return false;
    if (o->opt.weights_format != 0) {
        fail(c, o->offset, "weights_format %d is not supported (only DEFAULT)",
             o->opt.weights_format);
        return false;
    }
    wt = gt(c, w);
    n_ch = wt->shape[0];
    depth = wt->shape[1];
    if (!act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp) ||
        !weight_quant(c, w, 0, n_ch) || !bias_ok(c, b, n_ch))
        return false;
    in_elems = ml_gtensor_elems(gt(c, in));
    if (depth <= 0 || n_ch <= 0 || in_elems % depth != 0 || gt(c, out)->rank < 1 ||
        gt(c, out)->shape[gt(c, out)->rank - 1] != n_ch ||
        ml_gtensor_elems(gt(c, out)) != in_elems / depth * n_ch) {
        fail(c, o->offset, "shapes do not match: input %ld elements, weights [%d, %d], "
             "output %ld elements", in_elems, (int)n_ch, (int)depth,
             ml_gtensor_elems(gt(c, out)));
        return false;
    }
    if (!accum_fits(c, o, depth, izp))
        return false;
    ws = wt->scale[0];
    if (b >= 0 && wt->n_quant == 1) {
        /* TFLM GetQuantizedConvolutionMultipler's consistency check */
        const ml_gtensor *bt = gt(c, b);
        if (bt->has_quant && bt->n_quant >= 1) {
            double diff = fabs((double)(is * ws) - (double)bt->scale[0]);
            if (diff / (double)os > 0.02) {
                fail(c, bt->offset, "bias scale %g does not match input scale x weight "
                     "scale %g", (double)bt->scale[0], (double)(is * ws));
                return false;
            }
        }
    }
    {
        int32_t ins[3] = { in, w, b };
        op = add_op(c, wt->n_quant > 1 ? ML_MODEL_OP_FC_PER_CHANNEL : ML_MODEL_OP_FC,
                    3, ins, out);
    }
    if (op == NULL)
        return false;
    op->u.fc.input_offset = -izp;
    op->u.fc.filter_offset = 0;
    op->u.fc.output_offset = ozp;
    op->u.fc.activation = act_range(o->opt.activation, os, ozp);
    if (wt->n_quant > 1) {
        if (!put_per_channel(c, op, is, wt, n_ch, os))
            return false;
    } else {
        /* the product in float, then widened (TFLM GetQuantizedConvolutionMultipler) */
        double m = (double)(is * ws) / (double)os;
        if (!quantize_multiplier(m, &op->q.multiplier, &op->q.shift)) {
            fail(c, o->offset, "effective scale %g is out of range", m);
            return false;
        }
    }
    add_macs(&c->macs, in_elems / depth * (long)depth * n_ch);
    return true;
}

static bool op_conv(ctx *c, const ml_gop *o, bool depthwise)
{
    int32_t in = o->inputs[0], w, b, out = o->outputs[0], n_ch;
    float is, os;
    int32_t izp, ozp, ph, pw, oh, ow;
    const ml_gtensor *it, *wt, *ot;
    ml_model_op *op;
    if (!n_io(c, o, 2, 3, 1))
        return false;
    w = o->inputs[1];
    b = o->n_inputs > 2 ? o->inputs[2] : -1;
    if (!rank_is(c, in, 4, "input") || !rank_is(c, w, 4, "filter") ||
        !rank_is(c, out, 4, "output"))
        return false;
    it = gt(c, in);
    wt = gt(c, w);
    ot = gt(c, out);
    n_ch = ot->shape[3];
    if (!act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp) ||
        !weight_quant(c, w, depthwise ? 3 : 0, n_ch) || !bias_ok(c, b, n_ch))
        return false;
    if (o->opt.stride_w < 1 || o->opt.stride_h < 1 || o->opt.dilation_w < 1 ||
        o->opt.dilation_h < 1 || (o->opt.padding != ML_PAD_SAME && o->opt.padding != ML_PAD_VALID)) {
        fail(c, o->offset, "invalid options: stride %dx%d, dilation %dx%d, padding %d",
             o->opt.stride_w, o->opt.stride_h, o->opt.dilation_w, o->opt.dilation_h,
             o->opt.padding);
        return false;
    }
    oh = out_size(o->opt.padding, it->shape[1], wt->shape[1], o->opt.stride_h,
                  o->opt.dilation_h, &ph);
    ow = out_size(o->opt.padding, it->shape[2], wt->shape[2], o->opt.stride_w,
                  o->opt.dilation_w, &pw);
    if (oh < 0 || ow < 0) {
        fail(c, o->offset, "stride %dx%d, dilation %dx%d or filter %dx%d out of range "
             "(stride and effective filter size at most 65536)", o->opt.stride_h,
             o->opt.stride_w, o->opt.dilation_h, o->opt.dilation_w, (int)wt->shape[1],
             (int)wt->shape[2]);
        return false;
    }
    if (oh != ot->shape[1] || ow != ot->shape[2] || ot->shape[0] != it->shape[0] ||
        (depthwise ? (wt->shape[0] != 1 || wt->shape[3] != n_ch || it->shape[3] <= 0 ||
                      n_ch % it->shape[3] != 0)
                   : (wt->shape[0] != n_ch || wt->shape[3] <= 0 || it->shape[3] <= 0 ||
                      it->shape[3] % wt->shape[3] != 0 ||
                      n_ch % (it->shape[3] / wt->shape[3]) != 0))) {
        fail(c, o->offset, "shapes do not match: input [%d,%d,%d,%d], filter [%d,%d,%d,%d], "
             "output [%d,%d,%d,%d] (expected output %dx%d)",
             (int)it->shape[0], (int)it->shape[1], (int)it->shape[2], (int)it->shape[3],
             (int)wt->shape[0], (int)wt->shape[1], (int)wt->shape[2], (int)wt->shape[3],
             (int)ot->shape[0], (int)ot->shape[1], (int)ot->shape[2], (int)ot->shape[3],
             (int)oh, (int)ow);
        return false;
    }
    if (!accum_fits(c, o, depthwise ? (long)wt->shape[1] * wt->shape[2]
                                    : (long)wt->shape[1] * wt->shape[2] * wt->shape[3], izp))
        return false;
    {
        int32_t ins[3] = { in, w, b };
        op = add_op(c, depthwise ? ML_MODEL_OP_DEPTHWISE_CONV : ML_MODEL_OP_CONV, 3, ins, out);
    }
    if (op == NULL)
        return false;
    if (depthwise) {
        ml_dw_conv_params *p = &op->u.dw;
        p->input_offset = -izp;
        p->output_offset = ozp;
        p->depth_multiplier = n_ch / it->shape[3];
        p->stride_h = o->opt.stride_h;
        p->stride_w = o->opt.stride_w;
        p->dilation_h = o->opt.dilation_h;
        p->dilation_w = o->opt.dilation_w;
        p->pad_h = ph;
        p->pad_w = pw;
        p->activation = act_range(o->opt.activation, os, ozp);
        add_macs(&c->macs, ml_gtensor_elems(ot) * (long)wt->shape[1] * wt->shape[2]);
    } else {
        ml_conv_params *p = &op->u.conv;
        p->input_offset = -izp;
        p->output_offset = ozp;
        p->stride_h = o->opt.stride_h;
        p->stride_w = o->opt.stride_w;
        p->dilation_h = o->opt.dilation_h;
        p->dilation_w = o->opt.dilation_w;
        p->pad_h = ph;
        p->pad_w = pw;
        p->activation = act_range(o->opt.activation, os, ozp);
        add_macs(&c->macs, ml_gtensor_elems(ot) *
                           ((long)wt->shape[1] * wt->shape[2] * wt->shape[3]));
    }
    return put_per_channel(c, op, is, wt, n_ch, os);
}

static bool op_pool(ctx *c, const ml_gop *o, bool avg)
{
    int32_t in = o->inputs[0], out = o->outputs[0], ph, pw, oh, ow;
    float os;
    int32_t ozp;
    ml_model_op *op;
    const ml_gtensor *it, *ot;
    if (!n_io(c, o, 1, 1, 1) || !rank_is(c, in, 4, "input") || !rank_is(c, out, 4, "output") ||
        !same_quant(c, in, out, avg ? "AVERAGE_POOL_2D" : "MAX_POOL_2D") ||
        !act_quant(c, out, &os, &ozp))
        return false;
    it = gt(c, in);
    ot = gt(c, out);
    if (o->opt.stride_w < 1 || o->opt.stride_h < 1 || o->opt.filter_w < 1 ||
        o->opt.filter_h < 1) {
        fail(c, o->offset, "invalid options: stride %dx%d, filter %dx%d",
             o->opt.stride_w, o->opt.stride_h, o->opt.filter_w, o->opt.filter_h);
        return false;
    }
    oh = out_size(o->opt.padding, it->shape[1], o->opt.filter_h, o->opt.stride_h, 1, &ph);
    ow = out_size(o->opt.padding, it->shape[2], o->opt.filter_w, o->opt.stride_w, 1, &pw);
    if (oh < 0 || ow < 0) {
        fail(c, o->offset, "stride %dx%d or filter %dx%d out of range (at most 65536)",
             o->opt.stride_h, o->opt.stride_w, o->opt.filter_h, o->opt.filter_w);
        return false;
    }
    if (oh != ot->shape[1] || ow != ot->shape[2] || it->shape[0] != ot->shape[0] ||
        it->shape[3] != ot->shape[3]) {
        fail(c, o->offset, "output shape [%d,%d,%d,%d] does not match the expected %dx%d",
             (int)ot->shape[0], (int)ot->shape[1], (int)ot->shape[2], (int)ot->shape[3],
             (int)oh, (int)ow);
        return false;
    }
    op = add_op(c, avg ? ML_MODEL_OP_AVG_POOL : ML_MODEL_OP_MAX_POOL, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.pool.stride_h = o->opt.stride_h;
    op->u.pool.stride_w = o->opt.stride_w;
    op->u.pool.filter_h = o->opt.filter_h;
    op->u.pool.filter_w = o->opt.filter_w;
    op->u.pool.pad_h = ph;
    op->u.pool.pad_w = pw;
    op->u.pool.activation = act_range(o->opt.activation, os, ozp);
    return true;
}

static bool op_softmax(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp, mult, shift;
    float is, os;
    double real, radius;
    ml_model_op *op;
    if (!n_io(c, o, 1, 1, 1) || !act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    if (ozp != -128 || fabsf(os - 1.0f / 256) > 1e-6f * (1.0f / 256) * 1000.0f) {
        fail(c, gt(c, out)->offset, "output quantization must be scale 1/256 and zero "
             "point -128 (it is %g, %d)", (double)os, (int)ozp);
        return false;
    }
    if (ml_gtensor_elems(gt(c, in)) != ml_gtensor_elems(gt(c, out)) || gt(c, out)->rank < 1) {
        fail(c, o->offset, "input and output shapes differ");
        return false;
    }
    /* TFLM PreprocessSoftmaxScaling with 5 integer bits, in double */
    real = (double)o->opt.beta * (double)is * (double)(1 << 26);
    if (real > 2147483647.0)
        real = 2147483647.0;
    if (!quantize_multiplier(real, &mult, &shift) || shift < 0) {
        fail(c, o->offset, "beta x input scale = %g is out of range", real / (1 << 26));
        return false;
    }
    radius = 31.0 * (double)(1 << 26) / ldexp(1.0, shift);
    op = add_op(c, ML_MODEL_OP_SOFTMAX, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.softmax.input_multiplier = mult;
    op->u.softmax.input_left_shift = shift;
    op->u.softmax.diff_min = -(int32_t)floor(radius);
    return true;
}

static bool same_shape(const ml_gtensor *a, const ml_gtensor *b)
{
    int d;
    if (a->rank != b->rank)
        return false;
    for (d = 0; d < a->rank; d++)
        if (a->shape[d] != b->shape[d])
            return false;
    return true;
}

static bool broadcast_ok(const ml_gtensor *a, const ml_gtensor *out)
{
    int d, k;
    if (a->rank > out->rank || out->rank > ML_MAX_DIMS)
        return false;
    for (d = 0; d < a->rank; d++) {
        k = out->rank - a->rank + d;
        if (a->shape[d] != 1 && a->shape[d] != out->shape[k])
            return false;
    }
    return true;
}

static bool op_add_mul(ctx *c, const ml_gop *o, bool add)
{
    int32_t a, b, out = o->outputs[0], za, zb, zo;
    float sa, sb, so;
    ml_model_op *op;
    bool elementwise;
    int32_t ins[2];
    if (!n_io(c, o, 2, 2, 1))
        return false;
    a = o->inputs[0];
    b = o->inputs[1];
    if (b < 0) {
        fail(c, o->offset, "its second input is absent");
        return false;
    }
    if (!act_quant(c, a, &sa, &za) || !act_quant(c, b, &sb, &zb) ||
        !act_quant(c, out, &so, &zo))
        return false;
    elementwise = same_shape(gt(c, a), gt(c, out)) && same_shape(gt(c, b), gt(c, out));
    if (!elementwise && (!broadcast_ok(gt(c, a), gt(c, out)) || !broadcast_ok(gt(c, b), gt(c, out)))) {
        fail(c, o->offset, "input shapes do not broadcast to the output shape");
        return false;
    }
    ins[0] = a;
    ins[1] = b;
    op = add_op(c, add ? (elementwise ? ML_MODEL_OP_ADD : ML_MODEL_OP_ADD_BROADCAST)
                       : (elementwise ? ML_MODEL_OP_MUL : ML_MODEL_OP_MUL_BROADCAST),
                2, ins, out);
    if (op == NULL)
        return false;
    if (add) {
        ml_add_params *p = &op->u.add;
        double twice_max = 2.0 * (double)(sa > sb ? sa : sb);
        p->input1_offset = -za;
        p->input2_offset = -zb;
        p->output_offset = zo;
        p->left_shift = 20;
        if (!quantize_multiplier((double)sa / twice_max, &p->input1_multiplier, &p->input1_shift) ||
            !quantize_multiplier((double)sb / twice_max, &p->input2_multiplier, &p->input2_shift) ||
            !quantize_multiplier(twice_max / ((double)(1 << 20) * (double)so),
                                 &p->output_multiplier, &p->output_shift) ||
            p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0) {
            fail(c, o->offset, "scales %g, %g -> %g give multipliers out of range",
                 (double)sa, (double)sb, (double)so);
            return false;
        }
        p->activation = act_range(o->opt.activation, so, zo);
    } else {
        ml_mul_params *p = &op->u.mul;
        p->input1_offset = -za;
        p->input2_offset = -zb;
        p->output_offset = zo;
        if (!quantize_multiplier((double)sa * (double)sb / (double)so,
                                 &p->output_multiplier, &p->output_shift)) {
            fail(c, o->offset, "scales give a multiplier out of range");
            return false;
        }
        p->activation = act_range(o->opt.activation, so, zo);
        add_macs(&c->macs, ml_gtensor_elems(gt(c, out)));
    }
    return true;
}

static bool op_logistic_tanh(ctx *c, const ml_gop *o, bool tanh_op)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp;
    float is, os;
    ml_logistic_params p;
    int8_t lut[ML_LUT_SIZE];
    double real, q;
    int e;
    int64_t m;
    ml_model_op *op;
    rt_status s;
    if (!n_io(c, o, 1, 1, 1) || !act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    if (tanh_op ? ozp != 0 : ozp != -128) {
        fail(c, gt(c, out)->offset, "output zero point must be %d (it is %d)",
             tanh_op ? 0 : -128, (int)ozp);
        return false;
    }
    /* TFLM logistic_common.cc / tanh.cc: raw frexp, no fix-up */
    real = (double)is * (double)(1 << 27);
    q = frexp(real, &e);
    m = (int64_t)round(q * 2147483648.0);
    if (m >= ((int64_t)1 << 31) || e > 30 || e < -31) {
        fail(c, gt(c, in)->offset, "input scale %g is not supported", (double)is);
        return false;
    }
    p.input_zero_point = izp;
    p.input_multiplier = (int32_t)m;
    p.input_left_shift = e;
    {
        /* CalculateInputRadius(4, e, 31); above INT32_MAX (scales below
           2^-27) every int8 input is inside the radius: store INT32_MAX */
        double radius = floor(15.0 * (double)(1 << 27) / ldexp(1.0, e));
        p.input_range_radius = radius >= 2147483647.0 ? INT32_MAX : (int32_t)radius;
    }
    s = tanh_op ? ml_tanh_lut_fill_s8(&p, lut) : ml_logistic_lut_fill_s8(&p, lut);
    if (s != RT_OK) {
        fail(c, o->offset, "parameters rejected by the kernel (%s)", rt_status_str(s));
        return false;
    }
    op = add_op(c, ML_MODEL_OP_LUT, 1, &in, out);
    if (op == NULL)
        return false;
    op->aux_off = put_const(c, lut, sizeof lut);
    return !c->failed;
}

static bool op_relu(ctx *c, const ml_gop *o, int which)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp;
    float is, os;
    ml_model_op *op;
    if (!n_io(c, o, 1, 1, 1) || !act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    if (which == ML_TFLITE_RELU6) {
        ml_activation a;
        int32_t hi;
        if (!same_quant(c, in, out, "RELU6"))
            return false;
        hi = quantize_f(6.0f, is, izp);
        a.min = izp;
        a.max = hi < 127 ? hi : 127;
        op = add_op(c, ML_MODEL_OP_CLAMP, 1, &in, out);
        if (op == NULL)
            return false;
        op->u.clamp = a;
        return true;
    }
    op = add_op(c, ML_MODEL_OP_RELU, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.relu.input_zero_point = izp;
    op->u.relu.output_zero_point = ozp;
    if (!quantize_multiplier((double)is / (double)os, &op->u.relu.multiplier, &op->u.relu.shift)) {
        fail(c, o->offset, "scale ratio out of range");
        return false;
    }
    op->u.relu.activation = act_range(which == ML_TFLITE_RELU ? ML_ACT_RELU
                                                              : ML_ACT_RELU_N1_TO_1, os, ozp);
    return true;
}

/* QUANTIZE float32 -> int8 and DEQUANTIZE int8 -> float32, at the float
   edges of a model (TFLM AffineQuantize / Dequantize; ml.h). */
static bool op_float_edge(ctx *c, const ml_gop *o, bool deq)
{
    int32_t in = o->inputs[0], out = o->outputs[0], q = deq ? in : out, f = deq ? out : in;
    int32_t zp;
    float s;
    ml_model_op *op;
    if (!n_io(c, o, 1, 1, 1) || !act_quant(c, q, &s, &zp))
        return false;
    if (gt(c, f)->type != ML_TFLITE_FLOAT32 || gt(c, f)->data != NULL) {
        fail(c, gt(c, f)->offset, "tensor %d ('%s') must be a non-constant FLOAT32 tensor "
             "(it is %s)", (int)f, gt(c, f)->name, ml_tflite_type_name(gt(c, f)->type));
        return false;
    }
    if (ml_gtensor_elems(gt(c, in)) != ml_gtensor_elems(gt(c, out))) {
        fail(c, o->offset, "input and output sizes differ");
        return false;
    }
    op = add_op(c, deq ? ML_MODEL_OP_DEQUANTIZE : ML_MODEL_OP_QUANTIZE_F32, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.quant.scale = s;
    op->u.quant.zero_point = zp;
    return true;
}

static bool op_quantize(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp;
    float is, os;
    ml_model_op *op;
    if (!n_io(c, o, 1, 1, 1))
        return false;
    if (gt(c, in)->type == ML_TFLITE_FLOAT32)
        return op_float_edge(c, o, false);
    if (!act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    op = add_op(c, ML_MODEL_OP_REQUANTIZE, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.requant.input_zero_point = izp;
    op->u.requant.output_zero_point = ozp;
    if (!quantize_multiplier((double)is / (double)os, &op->u.requant.multiplier,
                             &op->u.requant.shift)) {
        fail(c, o->offset, "scale ratio out of range");
        return false;
    }
    return true;
}

/* Reads a constant int32 tensor into v (at most max values). */
static int const_ints(ctx *c, int32_t t, int32_t *v, int max)
{
    const ml_gtensor *x;
    long n, k;
    if (t < 0) {
        fail(c, -1, "a required constant input is absent");
        return -1;
    }
    x = gt(c, t);
    n = ml_gtensor_elems(x);
    if (x->type != ML_TFLITE_INT32 || x->data == NULL || n > max ||
        x->data_size != (size_t)n * 4) {
        fail(c, x->offset, "tensor %d ('%s') must be a constant int32 tensor of at most "
             "%d elements", (int)t, x->name, max);
        return -1;
    }
    for (k = 0; k < n; k++)
        v[k] = (int32_t)((uint32_t)x->data[4 * k] | (uint32_t)x->data[4 * k + 1] << 8 |
                         (uint32_t)x->data[4 * k + 2] << 16 | (uint32_t)x->data[4 * k + 3] << 24);
    return (int)n;
}

static bool op_mean(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp, axes[ML_MAX_DIMS * 2];
    float is, os;
    int n, k, rank = gt(c, in)->rank;
    uint32_t mask = 0;
    long kept = 1;
    ml_model_op *op;
    if (!n_io(c, o, 2, 2, 1) || !act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    n = const_ints(c, o->inputs[1], axes, ML_MAX_DIMS * 2);
    if (n < 0)
        return false;
    if (rank > ML_MAX_DIMS) {
        fail(c, o->offset, "input rank %d exceeds %d", rank, ML_MAX_DIMS);
        return false;
    }
    for (k = 0; k < n; k++) {
        int32_t a = axes[k] < 0 ? axes[k] + rank : axes[k];
        if (a < 0 || a >= rank) {
            fail(c, o->offset, "axis %d is out of range for rank %d", (int)axes[k], rank);
            return false;
        }
        mask |= 1u << a;
    }
    for (k = 0; k < rank; k++)
        if (!(mask & (1u << k)))
            kept *= gt(c, in)->shape[k];
    if (kept != ml_gtensor_elems(gt(c, out))) {
        fail(c, o->offset, "output has %ld elements; the kept dimensions give %ld",
             ml_gtensor_elems(gt(c, out)), kept);
        return false;
    }
    op = add_op(c, ML_MODEL_OP_MEAN, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.mean.input_zero_point = izp;
    op->u.mean.output_zero_point = ozp;
    op->u.mean.axis_mask = mask;
    if (!quantize_multiplier((double)is / (double)os, &op->u.mean.multiplier,
                             &op->u.mean.shift)) {
        fail(c, o->offset, "scale ratio out of range");
        return false;
    }
    return true;
}

static bool op_pad(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], out = o->outputs[0], izp, ozp, pads[ML_MAX_DIMS * 2];
    float is, os;
    int n, k, rank = gt(c, in)->rank;
    ml_model_op *op;
    if (!n_io(c, o, 2, 2, 1) || !same_quant(c, in, out, "PAD") ||
        !act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    n = const_ints(c, o->inputs[1], pads, ML_MAX_DIMS * 2);
    if (n < 0)
        return false;
    if (n != 2 * rank || gt(c, out)->rank != rank) {
        fail(c, o->offset, "paddings have %d values for rank %d", n, rank);
        return false;
    }
    for (k = 0; k < rank; k++)
        if (pads[2 * k] < 0 || pads[2 * k + 1] < 0 ||
            (int64_t)gt(c, in)->shape[k] + pads[2 * k] + pads[2 * k + 1] !=
                gt(c, out)->shape[k]) {
            fail(c, o->offset, "paddings of dimension %d do not give the output shape", k);
            return false;
        }
    op = add_op(c, ML_MODEL_OP_PAD, 1, &in, out);
    if (op == NULL)
        return false;
    op->u.pad.pad_value = ozp;
    for (k = 0; k < rank; k++) {
        op->u.pad.before[k] = pads[2 * k];
        op->u.pad.after[k] = pads[2 * k + 1];
    }
    return true;
}

static bool op_concat(ctx *c, const ml_gop *o)
{
    int32_t out = o->outputs[0], sizes[ML_MODEL_MAX_CONCAT];
    int k, d, rank = gt(c, out)->rank, axis = o->opt.axis;
    long outer = 1, inner = 1, total = 0;
    ml_model_op *op;
    if (!n_io(c, o, 1, ML_MODEL_MAX_CONCAT, 1))
        return false;
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank) {
        fail(c, o->offset, "axis %d is out of range for rank %d", o->opt.axis, rank);
        return false;
    }
    if (o->opt.activation != ML_ACT_NONE) {
        fail(c, o->offset, "a fused activation on CONCATENATION is not supported");
        return false;
    }
    for (d = 0; d < axis; d++)
        outer *= gt(c, out)->shape[d];
    for (d = axis + 1; d < rank; d++)
        inner *= gt(c, out)->shape[d];
    for (k = 0; k < o->n_inputs; k++) {
        const ml_gtensor *t;
        if (o->inputs[k] < 0) {
            fail(c, o->offset, "input %d is absent", k);
            return false;
        }
        if (!same_quant(c, o->inputs[k], out, "CONCATENATION"))
            return false;
        t = gt(c, o->inputs[k]);
        if (t->rank != rank) {
            fail(c, o->offset, "input %d has rank %d, the output %d", k, t->rank, rank);
            return false;
        }
        for (d = 0; d < rank; d++)
            if (d != axis && t->shape[d] != gt(c, out)->shape[d]) {
                fail(c, o->offset, "input %d differs from the output in dimension %d", k, d);
                return false;
            }
        sizes[k] = t->shape[axis];
        total += sizes[k];
    }
    if (total != gt(c, out)->shape[axis]) {
        fail(c, o->offset, "inputs add up to %ld along axis %d, the output has %d",
             total, axis, (int)gt(c, out)->shape[axis]);
        return false;
    }
    op = add_op(c, ML_MODEL_OP_CONCAT, o->n_inputs, o->inputs, out);
    if (op == NULL)
        return false;
    op->u.concat.outer_size = (int32_t)outer;
    op->u.concat.inner_size = (int32_t)inner;
    op->u.concat.axis_sizes_off = put_const(c, sizes, (size_t)o->n_inputs * sizeof *sizes);
    return !c->failed;
}

/* RESHAPE, SQUEEZE, EXPAND_DIMS: the output aliases the input. */
static bool op_alias(ctx *c, const ml_gop *o)
{
    int32_t in = o->inputs[0], out = o->outputs[0], mi;
    ml_model_tensor mt;
    float is, os;
    int32_t izp, ozp;
    int d;
    if (o->n_inputs < 1 || o->n_outputs != 1 || in < 0) {
        fail(c, o->offset, "has %d inputs and %d outputs", o->n_inputs, o->n_outputs);
        return false;
    }
    if (!act_quant(c, in, &is, &izp) || !act_quant(c, out, &os, &ozp))
        return false;
    if (ml_gtensor_elems(gt(c, in)) != ml_gtensor_elems(gt(c, out))) {
        fail(c, o->offset, "input has %ld elements, output %ld",
             ml_gtensor_elems(gt(c, in)), ml_gtensor_elems(gt(c, out)));
        return false;
    }
    if (c->tensor_of[out] >= 0) {
        fail(c, gt(c, out)->offset, "tensor %d is written twice", (int)out);
        return false;
    }
    if (!c->dry && c->tensor_of[in] < 0 && gt(c, in)->data == NULL) {
        fail(c, gt(c, in)->offset, "reads tensor %d ('%s') before any operator "
             "writes it", (int)in, gt(c, in)->name);
        return false;
    }
    mi = mtensor(c, in);
    if (mi < 0)
        return false;
    mt = c->tensors[mi];
    mt.shape.rank = gt(c, out)->rank;
    for (d = 0; d < gt(c, out)->rank; d++)
        mt.shape.dims[d] = gt(c, out)->shape[d];
    VEC_PUSH(c, c->tensors, c->n_tensors, c->cap_tensors, mt);
    VEC_PUSH(c, c->buf_of, c->n_buf_of, c->cap_buf_of, c->buf_of[mi]);
    if (c->oom)
        return false;
    c->tensor_of[out] = (int32_t)c->n_tensors - 1;
    return true;
}

static bool compile_op(ctx *c, int i)
{
    const ml_gop *o = &c->g->ops[i];
    int k;
    c->op_index = i;
    for (k = 0; k < o->n_outputs; k++)
        if (c->tensor_of[o->outputs[k]] >= 0 && o->code != ML_TFLITE_RESHAPE &&
            o->code != ML_TFLITE_SQUEEZE && o->code != ML_TFLITE_EXPAND_DIMS) {
            fail(c, o->offset, "output tensor %d was already written or is an input",
                 (int)o->outputs[k]);
            return false;
        }
    {
        /* the BuiltinOptions union type must match the opcode (0 = absent,
           defaults apply); a mismatch means a corrupt or hostile file */
        int want = -1;
        switch (o->code) {
        case ML_TFLITE_CONV_2D: want = 1; break;
        case ML_TFLITE_DEPTHWISE_CONV_2D: want = 2; break;
        case ML_TFLITE_AVERAGE_POOL_2D: case ML_TFLITE_MAX_POOL_2D: want = 5; break;
        case ML_TFLITE_FULLY_CONNECTED: want = 8; break;
        case ML_TFLITE_SOFTMAX: want = 9; break;
        case ML_TFLITE_CONCATENATION: want = 10; break;
        case ML_TFLITE_ADD: want = 11; break;
        case ML_TFLITE_RESHAPE: want = 17; break;
        case ML_TFLITE_MUL: want = 21; break;
        case ML_TFLITE_MEAN: want = 27; break;
        case ML_TFLITE_SQUEEZE: want = 30; break;
        default: break;
        }
        if (want > 0 && o->options_type != 0 && o->options_type != want) {
            fail(c, o->offset, "builtin options of type %d do not belong to this "
                 "operator (expected type %d)", o->options_type, want);
            return false;
        }
    }
    switch (o->code) {
    case ML_TFLITE_FULLY_CONNECTED: return op_fc(c, o);
    case ML_TFLITE_CONV_2D: return op_conv(c, o, false);
    case ML_TFLITE_DEPTHWISE_CONV_2D: return op_conv(c, o, true);
    case ML_TFLITE_AVERAGE_POOL_2D: return op_pool(c, o, true);
    case ML_TFLITE_MAX_POOL_2D: return op_pool(c, o, false);
    case ML_TFLITE_SOFTMAX: return op_softmax(c, o);
    case ML_TFLITE_ADD: return op_add_mul(c, o, true);
    case ML_TFLITE_MUL: return op_add_mul(c, o, false);
    case ML_TFLITE_LOGISTIC: return op_logistic_tanh(c, o, false);
    case ML_TFLITE_TANH: return op_logistic_tanh(c, o, true);
    case ML_TFLITE_RELU:
    case ML_TFLITE_RELU6:
    case ML_TFLITE_RELU_N1_TO_1: return op_relu(c, o, o->code);
    case ML_TFLITE_QUANTIZE: return op_quantize(c, o);
    case ML_TFLITE_DEQUANTIZE: return op_float_edge(c, o, true);
    case ML_TFLITE_MEAN: return op_mean(c, o);
    case ML_TFLITE_PAD: return op_pad(c, o);
    case ML_TFLITE_CONCATENATION: return op_concat(c, o);
    case ML_TFLITE_RESHAPE:
    case ML_TFLITE_SQUEEZE:
    case ML_TFLITE_EXPAND_DIMS: return op_alias(c, o);
    case ML_TFLITE_CUSTOM:
        fail(c, o->offset, "custom operator '%s' (version %d) is not supported",
             o->custom_name ? o->custom_name : "", o->version);
        return false;
    default:
        fail(c, o->offset, "operator %s (version %d) is not supported",
             ml_tflite_op_name(o->code) ? ml_tflite_op_name(o->code) : "unknown",
             o->version);
        return false;
    }
}

static void ctx_free(ctx *c)
{
    free(c->dd_src);
    free(c->dd_size);
    free(c->dd_off);
    free(c->ops);
    free(c->tensors);
    free(c->buf_of);
    free(c->op_inputs);
    free(c->consts);
    free(c->tensor_of);
}

static bool ctx_init(ctx *c, const ml_graph *g, ml_import_error *err)
{
    int i;
    memset(c, 0, sizeof *c);
    c->g = g;
    c->err = err;
    c->op_index = -1;
    err->msg[0] = '\0';
    err->offset = -1;
    c->tensor_of = malloc(((size_t)g->n_tensors + 1) * sizeof *c->tensor_of);
    if (c->tensor_of == NULL)
        return false;
    for (i = 0; i < g->n_tensors; i++)
        c->tensor_of[i] = -1;
    /* more slots than tensors, so probing always finds a free one; without
       the table, data is simply not shared */
    c->dd_cap = 2 * (size_t)g->n_tensors + 1;
    c->dd_src = calloc(c->dd_cap, sizeof *c->dd_src);
    c->dd_size = calloc(c->dd_cap, sizeof *c->dd_size);
    c->dd_off = calloc(c->dd_cap, sizeof *c->dd_off);
    if (c->dd_src == NULL || c->dd_size == NULL || c->dd_off == NULL)
        c->dd_cap = 0;
    return true;
}

bool ml_graph_check_op(const ml_graph *g, int i, ml_import_error *err)
{
    ctx c;
    bool ok;
    if (!ctx_init(&c, g, err))
        return false;
    c.dry = true;
    ok = compile_op(&c, i) && !c.oom;
    ctx_free(&c);
    return ok;
}

/* Everything an ml_compiled owns. */
typedef struct storage {
    ml_model_op *ops;
    ml_model_tensor *tensors;
    uint16_t *op_inputs;
    ml_model_io *io;
    uint32_t *consts;
    int32_t *tensor_of;
} storage;

void ml_compiled_free(ml_compiled *cm)
{
    storage *s;
    if (cm == NULL)
        return;
    s = cm->storage_;
    if (s != NULL) {
        free(s->ops);
        free(s->tensors);
        free(s->op_inputs);
        free(s->io);
        free(s->consts);
        free(s->tensor_of);
        free(s);
    }
    free(cm);
}

/* Kinds whose kernel ml.h documents as safe with output == input 0 (exact
   aliasing: element i is read before element i is written). */
static bool inplace_ok(int kind)
{
    return kind == ML_MODEL_OP_CLAMP;
}

/* In-place aliasing: the output of an in-place-capable op takes over the
   buffer of its input 0 when that input is not read after the op and is
   not a graph output, and both have the same byte size.  Buffers merge,
   so later lifetimes are computed on the merged buffer by plan(). */
static void alias_inplace(ctx *c)
{
    const ml_graph *g = c->g;
    int n = g->n_tensors, i, k;
    int *last = malloc(((size_t)n + 1) * sizeof *last);
    bool *is_out = calloc((size_t)n + 1, sizeof *is_out);
    if (last == NULL || is_out == NULL) {
        free(last);
        free(is_out);
        return;                 /* no aliasing: a larger, still valid plan */
    }
    for (i = 0; i < n; i++)
        last[i] = -1;
    for (i = 0; i < (int)c->n_ops; i++)
        for (k = 0; k < c->ops[i].n_in; k++) {
            uint16_t t = c->op_inputs[c->ops[i].in_first + k];
            if (t != ML_MODEL_NO_TENSOR && c->buf_of[t] >= 0 && last[c->buf_of[t]] < i)
                last[c->buf_of[t]] = i;
        }
    for (i = 0; i < g->n_outputs; i++) {
        int32_t t = c->tensor_of[g->outputs[i]];
        if (t >= 0 && c->buf_of[t] >= 0)
            is_out[c->buf_of[t]] = true;
    }
    for (i = 0; i < (int)c->n_ops; i++) {
        const ml_model_op *op = &c->ops[i];
        uint16_t in = c->op_inputs[op->in_first];
        int32_t bin, bout;
        size_t t;
        if (!inplace_ok(op->kind) || in == ML_MODEL_NO_TENSOR)
            continue;
        bin = c->buf_of[in];
        bout = c->buf_of[op->output];
        if (bin < 0 || bout < 0 || bin == bout || last[bin] != i || is_out[bin] ||
            c->tensors[in].size != c->tensors[op->output].size)
            continue;
        for (t = 0; t < c->n_tensors; t++)
            if (c->buf_of[t] == bout)
                c->buf_of[t] = bin;
        if (last[bout] > last[bin])
            last[bin] = last[bout];
        is_out[bin] = is_out[bout];
    }
    free(last);
    free(is_out);
}

/* Lifetimes per buffer and the arena plan; sets arena offsets. */
static bool plan(ctx *c, ml_compiled *cm)
{
    const ml_graph *g = c->g;
    int n_bufs = g->n_tensors, i, k;
    ml_plan_buf *b = calloc((size_t)n_bufs + 1, sizeof *b);
    bool *used = calloc((size_t)n_bufs + 1, sizeof *used);
    ml_plan_buf *packed;
    int *slot, n_packed = 0;
    size_t total, greedy = 0;
    if (b == NULL || used == NULL) {
        free(b);
        free(used);
        c->oom = true;
        return false;
    }
    for (i = 0; i < n_bufs; i++) {
        b[i].first = INT32_MAX;
        b[i].last = -1;
    }
    /* step 0: inputs written by the caller; step i+1: model op i */
#define TOUCH(mt, step)                                                        \
    do {                                                                       \
        int32_t bf_ = c->buf_of[(mt)];                                         \
        if (bf_ >= 0) {                                                        \
            used[bf_] = true;                                                  \
            if ((step) < b[bf_].first) b[bf_].first = (step);                  \
            if ((step) > b[bf_].last) b[bf_].last = (step);                    \
            if (c->tensors[(mt)].size > b[bf_].size)                           \
                b[bf_].size = c->tensors[(mt)].size;                           \
        }                                                                      \
    } while (0)
    for (i = 0; i < g->n_inputs; i++)
        TOUCH(c->tensor_of[g->inputs[i]], 0);
    for (i = 0; i < (int)c->n_ops; i++) {
        for (k = 0; k < c->ops[i].n_in; k++) {
            uint16_t t = c->op_inputs[c->ops[i].in_first + k];
            if (t != ML_MODEL_NO_TENSOR)
                TOUCH(t, i + 1);
        }
        TOUCH(c->ops[i].output, i + 1);
    }
    for (i = 0; i < g->n_outputs; i++)
        TOUCH(c->tensor_of[g->outputs[i]], (int)c->n_ops + 1);
    /* aliased tensors not touched by any op still extend their buffer */
    for (i = 0; i < (int)c->n_tensors; i++)
        if (c->buf_of[i] >= 0 && c->tensors[i].size > b[c->buf_of[i]].size)
            b[c->buf_of[i]].size = c->tensors[i].size;
#undef TOUCH
    packed = calloc((size_t)n_bufs + 1, sizeof *packed);
    slot = calloc((size_t)n_bufs + 1, sizeof *slot);
    if (packed == NULL || slot == NULL) {
        free(b); free(used); free(packed); free(slot);
        c->oom = true;
        return false;
    }
    for (i = 0; i < n_bufs; i++)
        if (used[i]) {
            slot[i] = n_packed;
            packed[n_packed++] = b[i];
        }
    total = ml_plan_arena(packed, n_packed, ML_MODEL_ARENA_ALIGN, &greedy);
    if (total == (size_t)-1 || total > UINT32_MAX) {
        free(b); free(used); free(packed); free(slot);
        if (total == (size_t)-1)
            c->oom = true;
        else
            fail(c, -1, "the arena would need %zu bytes (limit is 4 GB)", total);
        return false;
    }
    for (i = 0; i < (int)c->n_tensors; i++)
        if (c->buf_of[i] >= 0) {
            if (!used[c->buf_of[i]]) {
                /* a tensor no op and no graph I/O touches: give it bytes anyway */
                c->tensors[i].offset = 0;
                continue;
            }
            c->tensors[i].offset = (uint32_t)packed[slot[c->buf_of[i]]].offset;
        }
    cm->model.arena_size = (uint32_t)total;
    cm->tflm_like_arena = greedy;
    free(b); free(used); free(packed); free(slot);
    return true;
}

static bool io_list(ctx *c, const int32_t *list, int n, ml_model_io *io)
{
    int i;
    for (i = 0; i < n; i++) {
        float s = 0.0f;
        int32_t zp = 0, mt;
        c->op_index = -1;
        /* a float32 input/output is fine here; the op reading or writing it
           decides (only QUANTIZE/DEQUANTIZE take floats) */
        if (gt(c, list[i])->type != ML_TFLITE_FLOAT32 && !act_quant(c, list[i], &s, &zp))
            return false;
        mt = mtensor(c, list[i]);
        if (mt < 0)
            return false;
        io[i].tensor = (uint16_t)mt;
        io[i].scale = s;
        io[i].zero_point = zp;
    }
    return true;
}

ml_compiled *ml_graph_compile(const ml_graph *g, ml_import_error *err)
{
    ctx c;
    ml_compiled *cm = NULL;
    storage *s = NULL;
    ml_model_io *io = NULL;
    int i;

    if (!ctx_init(&c, g, err))
        goto oom;
    if (g->n_inputs < 1 || g->n_outputs < 1) {
        fail(&c, -1, "the model has %d inputs and %d outputs", g->n_inputs, g->n_outputs);
        goto out;
    }
    io = calloc((size_t)g->n_inputs + (size_t)g->n_outputs, sizeof *io);
    if (io == NULL)
        goto oom;
    /* graph inputs first, so they count as written before op 0 */
    if (!io_list(&c, g->inputs, g->n_inputs, io))
        goto out;
    for (i = 0; i < g->n_ops; i++)
        if (!compile_op(&c, i) || c.oom)
            goto out;
    c.op_index = -1;
    for (i = 0; i < g->n_outputs; i++)
        if (c.tensor_of[g->outputs[i]] < 0) {
            fail(&c, g->tensors[g->outputs[i]].offset, "output tensor %d is never written",
                 (int)g->outputs[i]);
            goto out;
        }
    if (!io_list(&c, g->outputs, g->n_outputs, io + g->n_inputs))
        goto out;
    if (c.n_ops == 0) {
        /* nothing to run (e.g. a lone RESHAPE): a copy keeps the model honest */
        fail(&c, -1, "the model has no operator to run");
        goto out;
    }
    cm = calloc(1, sizeof *cm);
    s = calloc(1, sizeof *s);
    if (cm == NULL || s == NULL)
        goto oom;
    alias_inplace(&c);
    if (!plan(&c, cm))
        goto out;
    put_const(&c, NULL, 0);
    s->ops = c.ops;
    s->tensors = c.tensors;
    s->op_inputs = c.op_inputs;
    s->io = io;
    s->consts = malloc(c.n_consts + 4);
    s->tensor_of = c.tensor_of;
    if (s->consts == NULL)
        goto oom;
    if (c.n_consts)
        memcpy(s->consts, c.consts, c.n_consts);
    c.ops = NULL;
    c.tensors = NULL;
    c.op_inputs = NULL;
    c.tensor_of = NULL;
    io = NULL;
    cm->storage_ = s;
    s = NULL;
    cm->model.abi_version = ML_MODEL_ABI_VERSION;
    cm->model.n_ops = (uint32_t)c.n_ops;
    cm->model.n_tensors = (uint32_t)c.n_tensors;
    cm->model.n_op_inputs = (uint32_t)c.n_op_inputs;
    cm->model.n_inputs = (uint32_t)g->n_inputs;
    cm->model.n_outputs = (uint32_t)g->n_outputs;
    {
        storage *st = cm->storage_;
        cm->model.ops = st->ops;
        cm->model.tensors = st->tensors;
        cm->model.op_inputs = st->op_inputs;
        cm->model.inputs = st->io;
        cm->model.outputs = st->io + g->n_inputs;
        cm->model.consts = st->consts;
        cm->tensor_of = st->tensor_of;
    }
    cm->model.consts_size = (uint32_t)c.n_consts;
    cm->macs = c.macs;
    cm->weight_bytes = c.n_consts;
    cm->table_bytes = c.n_ops * sizeof(ml_model_op) +
                       c.n_tensors * sizeof(ml_model_tensor) +
                       c.n_op_inputs * sizeof(uint16_t) +
                       ((size_t)g->n_inputs + (size_t)g->n_outputs) * sizeof(ml_model_io);
    ctx_free(&c);
    return cm;
oom:
    c.oom = true;
out:
    if (!c.failed) {
        /* every other path has said what is wrong; allocation failures
           inside the helpers only set oom.  The fuzzer treats the second
           message as a bug. */
        c.op_index = -1;
        fail(&c, -1, c.oom ? "out of memory" : "internal error: no diagnostic");
    }
    free(io);
    free(s);
    ml_compiled_free(cm);
    ctx_free(&c);
    return NULL;
}
