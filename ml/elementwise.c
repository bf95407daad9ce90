/*
** elementwise.c — ADD and MUL int8, element-wise and broadcasting
** (spec §2.7, §2.8; TFLM reference/integer_ops/add.h AddFunc and mul.h
** MulElementwise, broadcasting as reference BroadcastAdd6DSlow /
** BroadcastMul6DSlow).
**
** The per-element arithmetic lives in add_one() and mul_one(); the
** same-shape and broadcasting entry points differ only in how they walk the
** inputs.  Broadcasting aligns the shapes at their innermost dimension,
** pads them to ML_MAX_DIMS with leading 1s, and gives each input a stride
** of 0 along every dimension where it has extent 1, so one odometer walk
** over the output visits the right input elements without any division.
*/
#include "ml/ml.h"

#include "ml/ml_check.h"

static int8_t add_one(const ml_add_params *p, int32_t x1, int32_t x2)
{
    int32_t a = (x1 + p->input1_offset) * ((int32_t)1 << p->left_shift);
    int32_t b = (x2 + p->input2_offset) * ((int32_t)1 << p->left_shift);
    int32_t sum;
    /* MultiplyByQuantizedMultiplierSmallerThanOneExp: RDBPOT(SRDHM(x, m),
    ** -shift) — the shifts are <= 0 and the multipliers >= 0 (checked by
    ** add_params_ok), so the saturating case of SRDHM cannot occur. */
    a = ml_rdbpot(ml_srdhm_nonneg(a, p->input1_multiplier), -p->input1_shift);
    b = ml_rdbpot(ml_srdhm_nonneg(b, p->input2_multiplier), -p->input2_shift);
    sum = ml_wrap_s32((uint32_t)a + (uint32_t)b);
    sum = ml_rdbpot(ml_srdhm_nonneg(sum, p->output_multiplier),
                    -p->output_shift);
    sum = ml_wrap_s32((uint32_t)sum + (uint32_t)p->output_offset);
    return ml_clamp_to_s8(sum, p->activation.min, p->activation.max);
}

static int8_t mul_one(const ml_mul_params *p, int32_t x1, int32_t x2)
{
    int32_t prod = (x1 + p->input1_offset) * (x2 + p->input2_offset);
    return ml_requant_acc_s8((uint32_t)prod, p->output_multiplier,
                             p->output_shift, p->output_offset,
                             p->activation.min, p->activation.max);
}

static bool add_params_ok(const ml_add_params *p)
{
    return ml_activation_ok(&p->activation) && ml_offset_ok(p->input1_offset) &&
           ml_offset_ok(p->input2_offset) && p->left_shift >= 0 &&
           p->left_shift <= 23 && p->input1_multiplier >= 0 &&
           p->input2_multiplier >= 0 && p->output_multiplier >= 0 &&
           p->input1_shift <= 0 && p->input1_shift >= -31 &&
           p->input2_shift <= 0 && p->input2_shift >= -31 &&
           p->output_shift <= 0 && p->output_shift >= -31;
}

static bool mul_params_ok(const ml_mul_params *p)
{
    return ml_activation_ok(&p->activation) && ml_offset_ok(p->input1_offset) &&
           ml_offset_ok(p->input2_offset) &&
           ml_quant_ok(p->output_multiplier, p->output_shift);
}

rt_status ml_add_s8(const ml_add_params *params, int32_t size,
                    const int8_t *input1, const int8_t *input2,
                    int8_t *output)
{
    int32_t i;
    if (size < 0 || !add_params_ok(params))
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = add_one(params, input1[i], input2[i]);
    return RT_OK;
}

rt_status ml_mul_s8(const ml_mul_params *params, int32_t size,
                    const int8_t *input1, const int8_t *input2,
                    int8_t *output)
{
    int32_t i;
    if (size < 0 || !mul_params_ok(params))
        return RT_ERR_ARG;
    for (i = 0; i < size; i++)
        output[i] = mul_one(params, input1[i], input2[i]);
    return RT_OK;
}

/* A broadcast walk: output extents and per-input strides, ML_MAX_DIMS-D. */
typedef struct bcast {
    int32_t dims[ML_MAX_DIMS];
    int32_t stride1[ML_MAX_DIMS];
    int32_t stride2[ML_MAX_DIMS];
    int32_t count; /* output elements */
    bool same;     /* no dimension broadcast: a flat element-wise loop */
} bcast;

/* Extent of dimension d (0 = outermost of the padded shape) of s. */
static int32_t padded_dim(const ml_shape *s, int32_t d)
{
    int32_t k = d - (ML_MAX_DIMS - s->rank);
    return k < 0 ? 1 : s->dims[k];
}

/* Set up the walk; false when the shapes do not broadcast to out. */
static bool bcast_init(bcast *b, const ml_shape *s1, const ml_shape *s2,
                       const ml_shape *out)
{
    int32_t d, st1 = 1, st2 = 1;
    if (ml_shape_count(s1) < 0 || ml_shape_count(s2) < 0 ||
        ml_shape_count(out) < 0)
        return false;
    b->count = ml_shape_count(out);
    b->same = true;
    for (d = ML_MAX_DIMS - 1; d >= 0; d--) {
        int32_t e = padded_dim(out, d);
        int32_t e1 = padded_dim(s1, d), e2 = padded_dim(s2, d);
        if ((e1 != e && e1 != 1) || (e2 != e && e2 != 1))
            return false;
        if (e1 != e || e2 != e)
            b->same = false;
        b->dims[d] = e;
        b->stride1[d] = e1 == 1 ? 0 : st1;
        b->stride2[d] = e2 == 1 ? 0 : st2;
        st1 *= e1; /* cannot overflow: ml_shape_count bounded the product */
        st2 *= e2;
    }
    return true;
}

/* The walk hands out runs along the innermost dimension: n output
** elements, the inputs advancing by s1 and s2 (0 for a broadcast input). */
typedef void (*run_fn)(const void *params, int32_t n, const int8_t *in1,
                       int32_t s1, const int8_t *in2, int32_t s2,
                       int8_t *out);

static void add_run(const void *p, int32_t n, const int8_t *in1, int32_t s1,
                    const int8_t *in2, int32_t s2, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; i++, in1 += s1, in2 += s2)
        out[i] = add_one((const ml_add_params *)p, *in1, *in2);
}

static void mul_run(const void *p, int32_t n, const int8_t *in1, int32_t s1,
                    const int8_t *in2, int32_t s2, int8_t *out)
{
    int32_t i;
    for (i = 0; i < n; i++, in1 += s1, in2 += s2)
        out[i] = mul_one((const ml_mul_params *)p, *in1, *in2);
}

/* Visit the output in row-major order, one innermost run at a time, with
** an odometer over the outer dimensions (no division anywhere). */
static void bcast_run(const bcast *b, run_fn run, const void *params,
                      const int8_t *in1, const int8_t *in2, int8_t *out)
{
    const int32_t inner = ML_MAX_DIMS - 1, n = b->dims[inner];
    int32_t idx[ML_MAX_DIMS] = {0};
    int32_t off1 = 0, off2 = 0, done, d;
    if (n == 0)
        return;
    for (done = 0; done < b->count; done += n) {
        run(params, n, in1 + off1, b->stride1[inner], in2 + off2,
            b->stride2[inner], out + done);
        for (d = inner - 1; d >= 0; d--) { /* odometer, outer dimensions */
            idx[d]++;
            off1 += b->stride1[d];
            off2 += b->stride2[d];
            if (idx[d] < b->dims[d])
                break;
            off1 -= b->stride1[d] * idx[d];
            off2 -= b->stride2[d] * idx[d];
            idx[d] = 0;
        }
    }
}

rt_status ml_add_broadcast_s8(const ml_add_params *params,
                              const ml_shape *input1_shape,
                              const int8_t *input1,
                              const ml_shape *input2_shape,
                              const int8_t *input2,
                              const ml_shape *output_shape, int8_t *output)
{
    bcast b;
    if (!add_params_ok(params) ||
        !bcast_init(&b, input1_shape, input2_shape, output_shape))
        return RT_ERR_ARG;
    if (b.same)
        return ml_add_s8(params, b.count, input1, input2, output);
    bcast_run(&b, add_run, params, input1, input2, output);
    return RT_OK;
}

rt_status ml_mul_broadcast_s8(const ml_mul_params *params,
                              const ml_shape *input1_shape,
                              const int8_t *input1,
                              const ml_shape *input2_shape,
                              const int8_t *input2,
                              const ml_shape *output_shape, int8_t *output)
{
    bcast b;
    if (!mul_params_ok(params) ||
        !bcast_init(&b, input1_shape, input2_shape, output_shape))
        return RT_ERR_ARG;
    if (b.same)
        return ml_mul_s8(params, b.count, input1, input2, output);
    bcast_run(&b, mul_run, params, input1, input2, output);
    return RT_OK;
}
