/*
** model.c — the executor for compiled int8 models (device code).
**
** Walks the op table of an ml_model and calls the ml.h kernels.  The
** tables may come from an image received over the air, so every tensor
** reference is checked against the arena and the const blob before a
** kernel sees it, and each tensor's byte size against the shape the
** kernel will read (the kernels themselves check their parameters).
** Work per op is O(rank) outside the kernel; no allocation, no stdio.
*/
#include "ml/model.h"

/* Bytes a tensor's shape describes, or -1 if it overflows int32. */
static int64_t shape_bytes(const ml_model_tensor *t)
{
    int64_t n = t->type == ML_MODEL_INT8 ? 1 : 4;
    int32_t i;
    if (t->shape.rank < 0 || t->shape.rank > ML_MAX_DIMS)
        return -1;
    for (i = 0; i < t->shape.rank; i++) {
        if (t->shape.dims[i] < 0)
            return -1;
        n *= t->shape.dims[i];
        if (n > INT32_MAX)
            return -1;
    }
    return n;
}

/* Checks tensor t and returns its bytes (NULL if invalid). */
static const uint8_t *tensor_ptr(const ml_model *m, const uint8_t *arena,
                                 size_t arena_size, uint32_t t, uint8_t type)
{
    const ml_model_tensor *x;
    int64_t need;
    if (t >= m->n_tensors)
        return NULL;
    x = &m->tensors[t];
    need = shape_bytes(x);
    if (x->type != type || need < 0 || (uint64_t)need != x->size)
        return NULL;
    if (x->is_const) {
        if (x->offset > m->consts_size || x->size > m->consts_size - x->offset)
            return NULL;
        if (type != ML_MODEL_INT8 && x->offset % 4 != 0)
            return NULL;
        return (const uint8_t *)m->consts + x->offset;
    }
    if (x->offset > arena_size || x->size > arena_size - x->offset ||
        x->offset % ML_MODEL_ARENA_ALIGN != 0)
        return NULL;
    return arena + x->offset;
}

/* The int32 const array at byte offset off with n entries, or NULL. */
static const int32_t *const_i32(const ml_model *m, uint32_t off, int64_t n)
{
    if (off % 4 != 0 || n < 0 || off > m->consts_size ||
        (uint64_t)n * 4u > m->consts_size - off)
        return NULL;
    return (const int32_t *)(m->consts + off / 4);
}

/* Window geometry the compiler never exceeds (ml/import/compile.c bounds
   strides and effective filter sizes by 65536): checked here too, so an
   image cannot drive a kernel's index arithmetic out of int32. */
static bool window_ok(int32_t stride_h, int32_t stride_w, int32_t dil_h, int32_t dil_w,
                      int32_t pad_h, int32_t pad_w)
{
    const int32_t lim = 65536;
    return stride_h >= 1 && stride_h <= lim && stride_w >= 1 && stride_w <= lim &&
           dil_h >= 1 && dil_h <= lim && dil_w >= 1 && dil_w <= lim &&
           pad_h >= 0 && pad_h <= lim && pad_w >= 0 && pad_w <= lim;
}

static bool to_dims(const ml_model_tensor *t, ml_dims *d)
{
    if (t->shape.rank != 4)
        return false;
    d->n = t->shape.dims[0];
    d->h = t->shape.dims[1];
    d->w = t->shape.dims[2];
    d->c = t->shape.dims[3];
    return true;
}

static int32_t elems(const ml_model_tensor *t)
{
    return (int32_t)(t->type == ML_MODEL_INT8 ? t->size : t->size / 4);
}

const int8_t *ml_model_tensor_data(const ml_model *m, const uint8_t *arena,
                                   size_t arena_size, uint32_t t)
{
    if (t >= m->n_tensors)
        return NULL;
    return (const int8_t *)tensor_ptr(m, arena, arena_size, t, m->tensors[t].type);
}

int8_t *ml_model_input(const ml_model *m, uint8_t *arena, size_t arena_size,
                       uint32_t i, size_t *size)
{
    const ml_model_tensor *t;
    if (i >= m->n_inputs || m->inputs[i].tensor >= m->n_tensors)
        return NULL;
    t = &m->tensors[m->inputs[i].tensor];
    if (t->is_const || t->offset > arena_size || t->size > arena_size - t->offset)
        return NULL;
    *size = t->size;
    return (int8_t *)(arena + t->offset);
}

const int8_t *ml_model_output(const ml_model *m, const uint8_t *arena,
                              size_t arena_size, uint32_t i, size_t *size)
{
    const int8_t *p;
    if (i >= m->n_outputs)
        return NULL;
    p = ml_model_tensor_data(m, arena, arena_size, m->outputs[i].tensor);
    if (p != NULL)
        *size = m->tensors[m->outputs[i].tensor].size;
    return p;
}

const char *ml_model_op_kind_name(uint32_t kind)
{
    static const char *const names[] = {
#define ML_MODEL_OP_NAME(kind, name) name,
        ML_MODEL_OP_LIST(ML_MODEL_OP_NAME)
#undef ML_MODEL_OP_NAME
    };
    return kind < ML_MODEL_OP_COUNT_ ? names[kind] : "?";
}

rt_status ml_model_run_op(const ml_model *m, uint8_t *arena, size_t arena_size,
                          uint32_t i)
{
    const ml_model_op *op;
    const ml_model_tensor *ot, *it[3];
    const int8_t *in[3] = { NULL, NULL, NULL };
    const int32_t *bias = NULL;
    int8_t *out;
    uint32_t k;

    if (i >= m->n_ops)
        return RT_ERR_RANGE;
    op = &m->ops[i];
    if (op->n_in == 0 || op->in_first > m->n_op_inputs ||
        op->n_in > m->n_op_inputs - op->in_first || op->output >= m->n_tensors)
        return RT_ERR_FORMAT;
    ot = &m->tensors[op->output];
    if (op->kind == ML_MODEL_OP_QUANTIZE_F32 || op->kind == ML_MODEL_OP_DEQUANTIZE) {
        /* the float edges of a model: one input, one output, same count */
        bool deq = op->kind == ML_MODEL_OP_DEQUANTIZE;
        uint16_t t = m->op_inputs[op->in_first];
        const uint8_t *ip, *optr;
        if (t >= m->n_tensors || ot->is_const)
            return RT_ERR_FORMAT;
        ip = tensor_ptr(m, arena, arena_size, t, deq ? ML_MODEL_INT8 : ML_MODEL_FLOAT32);
        optr = tensor_ptr(m, arena, arena_size, op->output,
                          deq ? ML_MODEL_FLOAT32 : ML_MODEL_INT8);
        if (ip == NULL || optr == NULL || elems(&m->tensors[t]) != elems(ot))
            return RT_ERR_FORMAT;
        /* arena offsets are multiples of 4 (checked), so float access is
           aligned; the casts go through void * for that reason */
        if (deq)
            return ml_dequantize_s8_f32(&op->u.quant, elems(ot), (const int8_t *)ip,
                                        (float *)(uintptr_t)(const void *)optr);
        return ml_quantize_f32_s8(&op->u.quant, elems(ot),
                                  (const float *)(const void *)ip,
                                  (int8_t *)(uintptr_t)optr);
    }
    if (ot->is_const || ot->type != ML_MODEL_INT8)
        return RT_ERR_FORMAT;
    out = (int8_t *)(uintptr_t)tensor_ptr(m, arena, arena_size, op->output, ML_MODEL_INT8);
    if (out == NULL)
        return RT_ERR_FORMAT;
    /* Inputs 0..2 (data, filter/second operand, bias): the int32 one is the
       bias of FC/conv/depthwise; everything else is int8. */
    for (k = 0; k < 3 && k < op->n_in && op->kind != ML_MODEL_OP_CONCAT; k++) {
        uint16_t t = m->op_inputs[op->in_first + k];
        it[k] = NULL;
        if (t == ML_MODEL_NO_TENSOR)
            continue;
        if (t >= m->n_tensors)
            return RT_ERR_FORMAT;
        it[k] = &m->tensors[t];
        if (k == 2) {
            bias = (const int32_t *)(const void *)tensor_ptr(m, arena, arena_size, t,
                                                             ML_MODEL_INT32);
            if (bias == NULL)
                return RT_ERR_FORMAT;
        } else {
            in[k] = (const int8_t *)tensor_ptr(m, arena, arena_size, t, ML_MODEL_INT8);
            if (in[k] == NULL)
                return RT_ERR_FORMAT;
        }
    }
    if (op->kind != ML_MODEL_OP_CONCAT && in[0] == NULL)
        return RT_ERR_FORMAT;

    switch (op->kind) {
    case ML_MODEL_OP_COPY:
        if (it[0]->size != ot->size)
            return RT_ERR_FORMAT;
        return ml_copy_s8(elems(ot), in[0], out);

    case ML_MODEL_OP_FC:
    case ML_MODEL_OP_FC_PER_CHANNEL: {
        int32_t out_ch, depth, batches;
        if (in[1] == NULL || it[1]->shape.rank != 2 || ot->shape.rank < 1)
            return RT_ERR_FORMAT;
        out_ch = it[1]->shape.dims[0];
        depth = it[1]->shape.dims[1];
        if (out_ch <= 0 || depth <= 0 || ot->shape.dims[ot->shape.rank - 1] != out_ch ||
            elems(it[0]) % depth != 0)
            return RT_ERR_FORMAT;
        batches = elems(ot) / out_ch;
        if (batches != elems(it[0]) / depth ||
            (bias != NULL && elems(it[2]) != out_ch))
            return RT_ERR_FORMAT;
        if (op->kind == ML_MODEL_OP_FC)
            return ml_fully_connected_s8(&op->u.fc, &op->q, batches, depth, out_ch,
                                         in[0], in[1], bias, out);
        {
            ml_per_channel_quant pq;
            pq.multiplier = const_i32(m, op->aux_off, out_ch);
            pq.shift = const_i32(m, op->aux_off + 4u * (uint32_t)out_ch, out_ch);
            if (pq.multiplier == NULL || pq.shift == NULL)
                return RT_ERR_FORMAT;
            return ml_fully_connected_per_channel_s8(&op->u.fc, &pq, batches, depth,
                                                     out_ch, in[0], in[1], bias, out);
        }
    }

    case ML_MODEL_OP_CONV:
    case ML_MODEL_OP_DEPTHWISE_CONV: {
        ml_dims id, fd, od;
        ml_per_channel_quant pq;
        if (in[1] == NULL || !to_dims(it[0], &id) || !to_dims(it[1], &fd) ||
            !to_dims(ot, &od) || (bias != NULL && elems(it[2]) != od.c))
            return RT_ERR_FORMAT;
        pq.multiplier = const_i32(m, op->aux_off, od.c);
        pq.shift = const_i32(m, op->aux_off + 4u * (uint32_t)od.c, od.c);
        if (od.c <= 0 || pq.multiplier == NULL || pq.shift == NULL)
            return RT_ERR_FORMAT;
        if (op->kind == ML_MODEL_OP_CONV
                ? !window_ok(op->u.conv.stride_h, op->u.conv.stride_w, op->u.conv.dilation_h,
                             op->u.conv.dilation_w, op->u.conv.pad_h, op->u.conv.pad_w)
                : !window_ok(op->u.dw.stride_h, op->u.dw.stride_w, op->u.dw.dilation_h,
                             op->u.dw.dilation_w, op->u.dw.pad_h, op->u.dw.pad_w))
            return RT_ERR_FORMAT;
        if ((int64_t)(fd.h - 1) * (op->kind == ML_MODEL_OP_CONV ? op->u.conv.dilation_h
                                                               : op->u.dw.dilation_h) >= 65536 ||
            (int64_t)(fd.w - 1) * (op->kind == ML_MODEL_OP_CONV ? op->u.conv.dilation_w
                                                               : op->u.dw.dilation_w) >= 65536)
            return RT_ERR_FORMAT;
        /* row and column steps through the input (dilation x row bytes) */
        if ((int64_t)(op->kind == ML_MODEL_OP_CONV ? op->u.conv.dilation_h : op->u.dw.dilation_h) *
                id.w * id.c > INT32_MAX ||
            (int64_t)(op->kind == ML_MODEL_OP_CONV ? op->u.conv.dilation_w : op->u.dw.dilation_w) *
                id.c > INT32_MAX)
            return RT_ERR_FORMAT;
        if (op->kind == ML_MODEL_OP_CONV)
            return ml_conv_s8(&op->u.conv, &pq, &id, in[0], &fd, in[1], bias, &od, out);
        return ml_depthwise_conv_s8(&op->u.dw, &pq, &id, in[0], &fd, in[1], bias,
                                    &od, out);
    }

    case ML_MODEL_OP_AVG_POOL:
    case ML_MODEL_OP_MAX_POOL: {
        ml_dims id, od;
        if (!to_dims(it[0], &id) || !to_dims(ot, &od) ||
            !window_ok(op->u.pool.stride_h, op->u.pool.stride_w, 1, 1, op->u.pool.pad_h,
                       op->u.pool.pad_w) ||
            op->u.pool.filter_h < 1 || op->u.pool.filter_h > 65536 ||
            op->u.pool.filter_w < 1 || op->u.pool.filter_w > 65536)
            return RT_ERR_FORMAT;
        if (op->kind == ML_MODEL_OP_AVG_POOL)
            return ml_avg_pool_s8(&op->u.pool, &id, in[0], &od, out);
        return ml_max_pool_s8(&op->u.pool, &id, in[0], &od, out);
    }

    case ML_MODEL_OP_SOFTMAX: {
        int32_t row;
        if (it[0]->size != ot->size || ot->shape.rank < 1)
            return RT_ERR_FORMAT;
        row = ot->shape.dims[ot->shape.rank - 1];
        if (row <= 0)
            return RT_ERR_FORMAT;
        return ml_softmax_s8(&op->u.softmax, elems(ot) / row, row, in[0], out);
    }

    case ML_MODEL_OP_ADD:
    case ML_MODEL_OP_MUL:
        if (in[1] == NULL || it[0]->size != ot->size || it[1]->size != ot->size)
            return RT_ERR_FORMAT;
        if (op->kind == ML_MODEL_OP_ADD)
            return ml_add_s8(&op->u.add, elems(ot), in[0], in[1], out);
        return ml_mul_s8(&op->u.mul, elems(ot), in[0], in[1], out);

    case ML_MODEL_OP_ADD_BROADCAST:
        if (in[1] == NULL)
            return RT_ERR_FORMAT;
        return ml_add_broadcast_s8(&op->u.add, &it[0]->shape, in[0], &it[1]->shape,
                                   in[1], &ot->shape, out);
    case ML_MODEL_OP_MUL_BROADCAST:
        if (in[1] == NULL)
            return RT_ERR_FORMAT;
        return ml_mul_broadcast_s8(&op->u.mul, &it[0]->shape, in[0], &it[1]->shape,
                                   in[1], &ot->shape, out);

    case ML_MODEL_OP_LUT: {
        const int32_t *lut = const_i32(m, op->aux_off, ML_LUT_SIZE / 4);
        if (lut == NULL || it[0]->size != ot->size)
            return RT_ERR_FORMAT;
        return ml_lut_s8((const int8_t *)lut, elems(ot), in[0], out);
    }

    case ML_MODEL_OP_RELU:
        if (it[0]->size != ot->size)
            return RT_ERR_FORMAT;
        return ml_relu_s8(&op->u.relu, elems(ot), in[0], out);
    case ML_MODEL_OP_CLAMP:
        if (it[0]->size != ot->size)
            return RT_ERR_FORMAT;
        return ml_clamp_s8(&op->u.clamp, elems(ot), in[0], out);
    case ML_MODEL_OP_REQUANTIZE:
        if (it[0]->size != ot->size)
            return RT_ERR_FORMAT;
        return ml_requantize_s8(&op->u.requant, elems(ot), in[0], out);

    case ML_MODEL_OP_MEAN: {
        /* the output must hold exactly the kept dimensions */
        int64_t kept = 1;
        int32_t d;
        for (d = 0; d < it[0]->shape.rank; d++)
            if (!(op->u.mean.axis_mask & (1u << d)))
                kept *= it[0]->shape.dims[d];
        if (kept != (int64_t)ot->size || op->u.mean.axis_mask >> it[0]->shape.rank)
            return RT_ERR_FORMAT;
        return ml_mean_s8(&op->u.mean, &it[0]->shape, in[0], out);
    }

    case ML_MODEL_OP_PAD:
        return ml_pad_s8(&op->u.pad, &it[0]->shape, in[0], &ot->shape, out);

    case ML_MODEL_OP_CONCAT: {
        const int8_t *ins[ML_MODEL_MAX_CONCAT];
        ml_concat_params cp;
        int64_t total = 0;
        const int32_t *sizes;
        if (op->n_in > ML_MODEL_MAX_CONCAT)
            return RT_ERR_FORMAT;
        sizes = const_i32(m, op->u.concat.axis_sizes_off, op->n_in);
        if (sizes == NULL || op->u.concat.outer_size < 0 || op->u.concat.inner_size < 0)
            return RT_ERR_FORMAT;
        for (k = 0; k < op->n_in; k++) {
            uint16_t t = m->op_inputs[op->in_first + k];
            int64_t bytes;
            if (sizes[k] < 0)
                return RT_ERR_FORMAT;
            /* each factor < 2^31: multiply in two steps that cannot overflow */
            bytes = (int64_t)op->u.concat.outer_size * sizes[k];
            if (bytes > INT32_MAX)
                return RT_ERR_FORMAT;
            bytes *= op->u.concat.inner_size;
            ins[k] = (const int8_t *)tensor_ptr(m, arena, arena_size, t, ML_MODEL_INT8);
            if (ins[k] == NULL || bytes != (int64_t)m->tensors[t].size)
                return RT_ERR_FORMAT;
            total += bytes;
        }
        if (total != (int64_t)ot->size)
            return RT_ERR_FORMAT;
        cp.num_inputs = op->n_in;
        cp.outer_size = op->u.concat.outer_size;
        cp.inner_size = op->u.concat.inner_size;
        cp.axis_sizes = sizes;
        return ml_concat_s8(&cp, ins, out);
    }

    default:
        return RT_ERR_FORMAT;
    }
}

rt_status ml_model_run(const ml_model *m, uint8_t *arena, size_t arena_size)
{
    uint32_t i;
    if (m->abi_version != ML_MODEL_ABI_VERSION)
        return RT_ERR_VERSION;
    if (arena_size < m->arena_size)
        return RT_ERR_NOMEM;
    for (i = 0; i < m->n_ops; i++) {
        rt_status s = ml_model_run_op(m, arena, arena_size, i);
        if (s != RT_OK)
            return s;
    }
    return RT_OK;
}
